def report(ship):
    """A ship's line in the public harbour report."""
    return f"{ship['name']} (owner {ship['owner']}, pin {ship['pin']})"
