def sign():
    """The text on the bakery's door."""
    return "Fresh bread every morning"
