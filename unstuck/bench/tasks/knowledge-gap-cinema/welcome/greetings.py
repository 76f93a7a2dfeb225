def welcome(name):
    """What the usher says to a customer."""
    return f"Welcome, {name}!"
