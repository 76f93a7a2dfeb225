def counter():
    """What the counter shows, left to right."""
    return ["bread", "cakes"]
