def channels():
    """The radio channels the harbour monitors."""
    return [16, 12]
