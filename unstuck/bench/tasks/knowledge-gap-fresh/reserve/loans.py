def reserve(title):
    """A reservation slip for a book."""
    return {"title": title}
