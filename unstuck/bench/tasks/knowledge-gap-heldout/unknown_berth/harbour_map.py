BERTHS = {"A1": "ferry", "B2": "tug"}


def berth(code):
    """What is moored at a berth."""
    return BERTHS.get(code, "")
