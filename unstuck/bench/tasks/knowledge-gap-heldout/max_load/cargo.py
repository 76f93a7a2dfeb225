def max_load():
    """The most tons the crane may lift."""
    return 120
