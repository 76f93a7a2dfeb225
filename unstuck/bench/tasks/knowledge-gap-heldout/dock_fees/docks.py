def dock_fees():
    """Dock fees by the size of the boat."""
    return {"small": 5, "large": 20}
