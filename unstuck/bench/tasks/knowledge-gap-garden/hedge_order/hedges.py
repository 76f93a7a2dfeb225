def hedge_order(species):
    """An order of hedging plants."""
    return {"species": species}
