BOTTLE_LITRES = 0.7


def litres(bottles):
    """How many litres of wine a number of bottles hold."""
    return bottles * BOTTLE_LITRES
