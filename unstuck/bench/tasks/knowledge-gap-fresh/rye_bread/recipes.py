def recipes():
    """Grams of flour per loaf, by bread."""
    return {"white": 450}
