def warp_length(metres, threads):
    """Metres of yarn to wind a warp this long with this many threads."""
    return metres * threads
