def motto():
    """The harbour's motto."""
    return "Safe travels"
