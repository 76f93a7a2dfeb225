def fare(zones):
    """A ferry fare by the number of zones crossed."""
    return zones * 2.5
