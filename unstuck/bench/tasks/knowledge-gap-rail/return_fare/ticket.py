from fares import SINGLE


def return_fare():
    """A return ticket: two singles."""
    return 2 * SINGLE
