from costs import POT_COST


def planter_price():
    """A planted pot sells for twice the pot."""
    return 2 * POT_COST
