SHUTTLE_GRAMS = 250


def shuttle_weight():
    """Grams a boat shuttle weighs, empty."""
    return SHUTTLE_GRAMS
