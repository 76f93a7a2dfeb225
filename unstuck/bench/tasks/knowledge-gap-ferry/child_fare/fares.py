CHILD_SHARE = 0.5


def child_fare(adult_fare):
    """A child's fare: a share of the adult fare."""
    return adult_fare * SHARE
