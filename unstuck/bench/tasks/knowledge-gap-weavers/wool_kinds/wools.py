WOOLS = {"shetland", "jacob"}


def is_wool(name):
    """Whether the mill spins this wool."""
    return name in WOOLS
