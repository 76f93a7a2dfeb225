def press_label(number):
    """The plate on each standing press."""
    return f"Press #{number}"
