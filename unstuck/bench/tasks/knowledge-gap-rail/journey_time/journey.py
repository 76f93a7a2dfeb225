def journey_time(legs):
    """Minutes from the first station to the last, legs in minutes."""
    return sum(legs)
