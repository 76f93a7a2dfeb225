def classes():
    """The classes of coach on an intercity train, front to back."""
    return ["first", "standard"]
