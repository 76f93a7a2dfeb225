def return_valid_days():
    """How many days the return half of a ticket is valid."""
    return 7
