def shop_sign():
    """The words painted over the door."""
    return "Ida's Bakery, since 1962"
