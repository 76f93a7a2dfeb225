def may_enter(minutes_late):
    """Whether a customer this many minutes late is still let in."""
    return minutes_late < 15
