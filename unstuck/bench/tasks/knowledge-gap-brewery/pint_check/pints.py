def pints(litres):
    """How many pints a batch of beer fills."""
    per_litre = 2
    return round(litres * per_litre, 1)
