def varieties():
    """The apple varieties the orchard grows."""
    return ["Cox", "Gala"]
