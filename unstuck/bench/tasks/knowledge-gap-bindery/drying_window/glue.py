def drying_window():
    """The shortest and longest minutes glued boards stay in the press."""
    return (15, 40)
