def cake_order(flavour):
    """A cake order."""
    return {"flavour": flavour}
