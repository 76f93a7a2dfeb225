def keeper_name(name):
    """A keeper's name as the log writes it."""
    return name.strip().title()
