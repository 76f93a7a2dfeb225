def beds():
    """The display beds along the path, gate to shop."""
    return ["roses", "herbs"]
