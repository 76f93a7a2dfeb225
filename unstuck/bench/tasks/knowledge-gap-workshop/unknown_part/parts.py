PARTS = {"tube": 6, "tyre": 25, "chain": 18}


def part_price(name):
    """The price of a part."""
    return PARTS.get(name, 0)
