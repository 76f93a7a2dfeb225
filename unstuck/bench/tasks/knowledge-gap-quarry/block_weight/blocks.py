DENSITY = 2.5


def block_weight(cubic_metres):
    """Tonnes of a granite block."""
    return round(cubic_metres * DENSITY, 2)
