MALT_KG_PER_LITRE = 0.2


def malt(litres):
    """How many kilos of malt a batch of beer needs."""
    return litres * MALT_KG_PER_LITRE
