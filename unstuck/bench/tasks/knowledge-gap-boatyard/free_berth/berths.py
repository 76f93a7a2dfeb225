BERTHS = {"A1": "Curlew", "A2": ""}


def free_berth(berth):
    """The boat in a berth, or None where the berth is free."""
    return BERTHS[berth]
