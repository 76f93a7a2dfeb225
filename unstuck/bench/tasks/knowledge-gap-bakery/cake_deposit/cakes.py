def deposit(price):
    """What a customer pays up front for a cake of this price."""
    return price * 0.2
