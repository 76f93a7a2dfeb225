def add_item(name, weight):
    """One line of the cargo manifest."""
    return {"name": name, "weight": weight}
