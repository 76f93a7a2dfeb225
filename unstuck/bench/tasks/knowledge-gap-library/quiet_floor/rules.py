def is_quiet(floor):
    """Whether talking is forbidden on this floor."""
    return floor == 1
