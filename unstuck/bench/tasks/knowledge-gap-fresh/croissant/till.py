from prices import CROISSANT


def total(count):
    """What a number of croissants costs."""
    return count * CROISSANT
