def join_path(parts):
    """Join the parts of a harbour route."""
    return "/".join(parts)
