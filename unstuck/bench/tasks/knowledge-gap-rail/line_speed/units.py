def kmh_to_ms(kmh):
    """A speed in metres per second."""
    return kmh * 3.6
