def roles():
    """The roles on board, by rank."""
    return ["captain", "mate"]
