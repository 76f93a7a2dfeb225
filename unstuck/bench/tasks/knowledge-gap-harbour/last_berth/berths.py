BERTH_COUNT = 9


def last_berth():
    """The number of the harbour's last berth."""
    return BERTHS
