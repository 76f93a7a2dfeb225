def mooring_fee(nights):
    """What a yacht pays to moor for a number of nights."""
    nightly = 12.5
    return round(nights * nightly, 2)
