def apiary_name(name):
    """An apiary's name as the sign shows it: each word capitalised."""
    return name.strip()
