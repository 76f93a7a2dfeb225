def late_fine(days_late):
    """The fine for a book returned late, in pounds."""
    per_day = 0.25
    return days_late * per_day
