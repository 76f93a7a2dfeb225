def metals():
    """The metals the forge works."""
    return ["iron", "steel"]
