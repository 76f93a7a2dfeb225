def to_knots(kmh):
    """A speed in km/h as knots."""
    return kmh / 2
