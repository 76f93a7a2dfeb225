VAT_RATE = 0.19


def with_vat(net):
    """The gross price of a harbour ticket: net plus VAT."""
    return round(net * (1 + VAT_RATE), 2)
