def house_loaf():
    """The loaf the bakery is known for."""
    return "Rye"
