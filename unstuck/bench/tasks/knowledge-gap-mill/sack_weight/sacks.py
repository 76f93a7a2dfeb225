def sack_weight(kg):
    """A sack's weight as labelled, in kilograms."""
    return round(kg, 1)
