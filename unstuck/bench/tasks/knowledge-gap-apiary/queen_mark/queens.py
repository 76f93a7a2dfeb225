def queen_mark(colour):
    """The paint mark of a queen, as the hive record writes it."""
    return colour.strip().lower()
