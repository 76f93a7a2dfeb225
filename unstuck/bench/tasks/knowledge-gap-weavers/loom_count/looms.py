LOOMS = {"shed one": 4, "shed two": 4}


def loom_count():
    """Looms in the mill, all sheds together."""
    return sum(LOOMS.values())
