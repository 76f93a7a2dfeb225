def max_renewals(member):
    """How many times a member may renew a loan."""
    if member == "staff":
        return 10
    return 5
