HEAT_MINUTES = 12


def heating_time(bars):
    """Minutes to bring this many iron bars to a working heat."""
    return bars * HEAT_MINUTES
