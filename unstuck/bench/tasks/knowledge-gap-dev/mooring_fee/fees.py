def mooring_fee(nights):
    """The mooring fee in euros."""
    return nights * 10
