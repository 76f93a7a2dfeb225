AGES = {"cheddar": 9, "brie": 1}


def months_aged(cheese):
    """Months a wheel of this cheese ripens in the cellar."""
    return AGES[cheese]
