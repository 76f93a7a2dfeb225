def terminus():
    """The last station of the coast line."""
    return "Central"
