def is_open(hour):
    """Whether the harbour office is open at an hour of the day."""
    return 10 <= hour < 18
