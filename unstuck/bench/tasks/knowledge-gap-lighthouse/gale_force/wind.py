def gale_force(knots):
    """The Beaufort number of a wind speed, roughly one per five knots."""
    return knots // 5
