def charges(holes):
    """Charges to load for a round of drill holes."""
    per_hole = 3
    return holes * per_hole
