def cut_order(stone, depth):
    """A saw order for a slab of stone."""
    return {"stone": stone, "mm": depth}
