def passenger_line(p):
    """A passenger's line on the printed seat list."""
    return f"{p['name']} seat {p['seat']} ({p['phone']})"
