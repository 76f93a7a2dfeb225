ROW_COUNT = 14


def last_row():
    """The number of the orchard's last row of trees."""
    return ROWS
