PRICE_PER_KG = 2.5


def clay_cost(kg):
    """What kg of stoneware clay costs."""
    return round(kg * PRICE_PER_KG, 2)
