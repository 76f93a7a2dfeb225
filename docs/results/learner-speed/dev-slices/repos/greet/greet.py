def greet(name):
    """Greet a visitor of the harbour."""
    return f"Hello, {name}!"
