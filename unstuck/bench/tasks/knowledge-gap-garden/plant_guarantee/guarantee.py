def guarantee_months():
    """How many months a plant is guaranteed to grow."""
    return 1
