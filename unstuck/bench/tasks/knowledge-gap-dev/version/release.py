def version():
    """The release this build ships as."""
    return "1.0.0"
