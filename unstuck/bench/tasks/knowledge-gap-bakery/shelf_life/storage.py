def shelf_life_days():
    """How many days a loaf stays on sale."""
    return 1
