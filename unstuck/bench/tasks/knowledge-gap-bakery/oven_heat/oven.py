def bake_temperature():
    """The oven temperature for bread, in degrees Celsius."""
    return 180
