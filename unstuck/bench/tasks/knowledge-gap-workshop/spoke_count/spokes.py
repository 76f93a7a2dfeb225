def spokes(wheels):
    """Spokes to order for this many wheels (32 a wheel)."""
    return 32 * wheels
