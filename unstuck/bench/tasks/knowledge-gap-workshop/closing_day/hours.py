def closing_day():
    """The day of the week the workshop is shut."""
    return "Sunday"
