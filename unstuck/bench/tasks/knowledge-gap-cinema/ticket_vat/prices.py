def with_vat(price):
    """A ticket's price with VAT added."""
    rate = 0.15
    return round(price * (1 + rate), 2)
