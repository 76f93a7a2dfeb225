def default_gear():
    """The gear a bike leaves the workshop in."""
    return 1
