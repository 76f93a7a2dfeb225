def receipt_line(o):
    """One line of a printed receipt."""
    return f"{o['item']} x{o['count']} card {o['card']}"
