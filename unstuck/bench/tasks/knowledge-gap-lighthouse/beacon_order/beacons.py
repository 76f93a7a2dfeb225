def beacon_order(names):
    """Beacon names in the order the chart lists them: alphabetical."""
    return list(names)
