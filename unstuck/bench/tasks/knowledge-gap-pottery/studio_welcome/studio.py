def welcome(name):
    """What the studio says to a potter at the door."""
    return f"Hello {name}, mind the wheel"
