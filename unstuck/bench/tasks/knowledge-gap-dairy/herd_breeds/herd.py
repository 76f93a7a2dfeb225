def breeds():
    """The breeds of cow in the herd."""
    return ["Jersey", "Holstein"]
