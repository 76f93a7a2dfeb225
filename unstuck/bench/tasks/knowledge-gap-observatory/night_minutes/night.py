def night_minutes(hours):
    """Minutes of observing in a night of so many hours."""
    return hours * 60
