def family_price(price):
    """Family tickets are discounted."""
    return price * 0.9
