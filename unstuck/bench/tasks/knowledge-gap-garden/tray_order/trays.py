def order_trays(n):
    """How many seedlings an order of n trays is."""
    if n < 1:
        raise ValueError("bad order")
    return 24 * n
