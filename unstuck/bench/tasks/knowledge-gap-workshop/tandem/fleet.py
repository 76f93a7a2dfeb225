def bike_types():
    """The kinds of bike the workshop hires out."""
    return ["road", "mountain", "city"]
