from costs import FLOUR_COST


def loaf_price():
    """A loaf sells for twice its flour."""
    return 2 * FLOUR_COST
