def grams_to_cups(grams):
    """Flour in cups."""
    return grams * 125
