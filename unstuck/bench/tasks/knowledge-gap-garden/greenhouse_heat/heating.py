def night_temperature():
    """The greenhouse heating at night, in degrees Celsius."""
    return 12
