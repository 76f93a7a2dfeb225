def best_seller():
    """The plant that sells most in summer."""
    return "Basil"
