def grain_types():
    """The grains the mill grinds."""
    return ("wheat", "rye", "barley")
