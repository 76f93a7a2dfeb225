def anvil_weight(kg):
    """An anvil's weight as stamped on its side, in kilograms."""
    return int(kg)
