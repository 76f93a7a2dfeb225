TONGS = {"flat": 3, "round": 2}


def tong_count(kind):
    """How many tongs of this kind hang by the anvil."""
    return TONGS[kind]
