def boarding_call(port):
    """What the tannoy says when a sailing boards."""
    return f"Passengers for {port}, please board."
