MAX_BERTHS = 40


def free(used):
    """Berths still free."""
    return MAX_BERTHS - used
