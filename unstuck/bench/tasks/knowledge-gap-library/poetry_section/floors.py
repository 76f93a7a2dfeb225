def sections():
    """The sections on the ground floor."""
    return ["fiction", "history", "science"]
