from settings import CASE_SIZE


def case_price(bottle_price):
    """What a case of wine costs, from the price of one bottle."""
    return bottle_price * CASE_SIZE
