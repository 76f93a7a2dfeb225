def min_copies():
    """How many copies of a set book the library keeps."""
    return 2
