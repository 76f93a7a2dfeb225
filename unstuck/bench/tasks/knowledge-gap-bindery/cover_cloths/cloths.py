def cover_cloths():
    """The cloths the bindery covers books in."""
    return ["buckram", "linen", "vinyl"]
