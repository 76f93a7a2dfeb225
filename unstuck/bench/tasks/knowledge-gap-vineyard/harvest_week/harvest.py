def harvest_week(start, weeks):
    """The week of the year the harvest ends, from its start week and length."""
    return start + weeks
