from config import SHELVES


def pots_fired(loads):
    """Pots fired in a number of kiln loads, eight to a shelf."""
    return loads * SHELVES * 8
