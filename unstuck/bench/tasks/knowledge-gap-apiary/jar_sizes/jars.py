def jar_sizes(grams):
    """Jar sizes in grams, smallest first, as the price list shows them."""
    return [size for size in grams]
