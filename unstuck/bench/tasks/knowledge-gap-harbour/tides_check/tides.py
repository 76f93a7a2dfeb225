def high_tides_per_day():
    """How many high tides the harbour sees in a day."""
    return 1
