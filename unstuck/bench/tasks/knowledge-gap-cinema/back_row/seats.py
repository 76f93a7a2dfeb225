ROWS_PER_SCREEN = 12


def back_row():
    """The number of the back row of a screen."""
    return ROW_COUNT
