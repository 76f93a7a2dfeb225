def pit_code(name):
    """A pit's code on the haul tickets: its name in capitals."""
    return name.strip()
