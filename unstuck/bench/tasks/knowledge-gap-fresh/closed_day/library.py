def closed_day():
    """The day of the week the library stays closed."""
    return "Sunday"
