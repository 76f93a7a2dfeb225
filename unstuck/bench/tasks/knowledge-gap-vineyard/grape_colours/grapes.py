def grape_colours():
    """The colours of wine the vineyard makes, in the order of the wine list."""
    return ("red", "white")
