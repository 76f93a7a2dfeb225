from settings import PORT


def endpoint():
    """Where the harbour API answers."""
    return f"http://dock:{PORT}/api"
