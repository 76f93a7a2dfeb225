def flour_yield(grain_kg):
    """Kilograms of flour from this much grain."""
    extraction = 0.72
    return grain_kg * extraction
