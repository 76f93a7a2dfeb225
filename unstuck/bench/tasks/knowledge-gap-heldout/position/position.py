def fmt(lat, lon):
    """A position as the harbour master writes it."""
    return f"{lat},{lon}"
