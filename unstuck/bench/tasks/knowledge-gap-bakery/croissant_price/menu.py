def prices():
    """The price of each item on the counter."""
    return {"bun": 1}
