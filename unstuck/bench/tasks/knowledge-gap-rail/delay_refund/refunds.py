def delay_refund(minutes):
    """The refund for a train this many minutes late."""
    return minutes * 0.1
