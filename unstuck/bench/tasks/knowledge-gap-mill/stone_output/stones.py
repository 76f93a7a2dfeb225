MILLSTONES = 2


def stone_output(hours):
    """Kilograms the mill grinds in this many hours, 40 kg an hour a pair of stones."""
    return hours * STONES * 40
