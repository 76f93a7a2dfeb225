def batch_minutes(trays):
    """Minutes to bake a batch, each tray's baking time in minutes."""
    return sum(trays)
