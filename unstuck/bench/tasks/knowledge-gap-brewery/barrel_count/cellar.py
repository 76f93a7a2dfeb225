from config import BARREL_LITRES


def barrels(litres):
    """How many full barrels a batch of beer fills."""
    return litres // BARREL_LITRES
