def to_fahrenheit(celsius):
    """An oven temperature in degrees Fahrenheit."""
    return celsius * 1.8
