def screen_label(number):
    """The sign over a screen's door."""
    return f"Screen {number}"
