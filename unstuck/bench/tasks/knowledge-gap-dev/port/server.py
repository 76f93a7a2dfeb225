DEFAULT_PORT = 8080


def server_url(host="localhost"):
    """The URL the harbour service listens on."""
    return f"http://{host}:{DEFAULT_PORT}"
