def late_fine(days):
    """The fine for a book returned this many days late."""
    return days * 0.25
