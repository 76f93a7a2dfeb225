def soak_hours(hides):
    """Hours this many hides soak in the lime pit."""
    return hides * 3
