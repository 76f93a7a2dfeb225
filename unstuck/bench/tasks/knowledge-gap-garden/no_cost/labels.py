def label_line(p):
    """The text of a plant's price label."""
    return f"{p['name']} {p['price']} (cost {p['cost']})"
