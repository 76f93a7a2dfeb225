STRENGTHS = {"ale": 4.5, "lager": 4.0}


def strength(beer):
    """The alcohol by volume of a beer, in per cent."""
    return STRENGTHS[beer]
