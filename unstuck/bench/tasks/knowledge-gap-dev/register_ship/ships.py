def register(name, size):
    """A ship's entry in the harbour register."""
    return {"name": name, "size": size}
