def order_dozens(n):
    """How many rolls an order of n dozens is."""
    if n < 1:
        raise ValueError("bad order")
    return 12 * n
