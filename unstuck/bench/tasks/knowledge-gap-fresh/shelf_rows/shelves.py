def rows():
    """The shelf rows of the reading room, in order."""
    return ["A", "B", "C"]
