def popcorn_prices():
    """Popcorn prices by size, in pounds."""
    return {"small": 3, "large": 5}
