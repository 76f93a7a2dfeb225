from settings import HIDE_PRICE


def hides_cost(count):
    """What this many raw hides cost, in pounds."""
    return count * HIDE_PRICE
