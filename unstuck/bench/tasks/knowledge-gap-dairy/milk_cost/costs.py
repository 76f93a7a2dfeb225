MILK_PRICE = 0.4


def milk_cost(litres):
    """What this much milk costs the dairy, in pounds."""
    return litres * PRICE
