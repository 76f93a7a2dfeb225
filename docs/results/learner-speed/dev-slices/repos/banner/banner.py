def banner(name):
    """The sign at the pier."""
    return f"Welcome to {name}"
