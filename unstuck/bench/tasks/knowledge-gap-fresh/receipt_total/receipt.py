def receipt(prices):
    """The total on a café receipt."""
    return sum(prices)
