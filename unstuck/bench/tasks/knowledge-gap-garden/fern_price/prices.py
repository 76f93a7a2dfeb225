def prices():
    """The price of each houseplant."""
    return {"cactus": 3}
