COLOURS = {"celadon": "green", "tenmoku": "brown"}


def colour(glaze):
    """The colour a glaze fires to."""
    return COLOURS[glaze]
