def knot_names():
    """The knots the yard teaches new hands."""
    return ["bowline", "cleat hitch", "granny", "reef knot"]
