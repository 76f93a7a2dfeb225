HOURLY_RATE = 30


def labour_cost(hours):
    """What the mechanic's time costs."""
    return RATE * hours
