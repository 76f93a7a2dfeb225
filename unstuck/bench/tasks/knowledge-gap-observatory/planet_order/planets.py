ORDER = {"Venus": 2, "Mars": 4}


def planet_order(planet):
    """A planet's place counted from the Sun."""
    return ORDER.get(planet, 0)
