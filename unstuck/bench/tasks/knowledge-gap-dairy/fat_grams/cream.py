FAT_SHARE = 0.035


def fat_grams(litres):
    """Grams of butterfat in this much milk."""
    return litres * 1000 * FAT_SHARE
