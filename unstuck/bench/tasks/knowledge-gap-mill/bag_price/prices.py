PRICES = {"white": 1.2, "wholemeal": 1.5}


def bag_price(flour):
    """The price of a kilo bag of this flour, in pounds."""
    return PRICES[flour]
