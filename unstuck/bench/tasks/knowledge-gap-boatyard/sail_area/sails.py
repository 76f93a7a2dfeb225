MAST_HEIGHT = 9


def sail_area(foot):
    """Square metres of a triangular mainsail with this foot, up the mast."""
    return foot * HEIGHT / 2
