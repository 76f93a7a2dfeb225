def crew_roles():
    """The roles on the yard's delivery crew."""
    return ["skipper", "mate", "cook"]
