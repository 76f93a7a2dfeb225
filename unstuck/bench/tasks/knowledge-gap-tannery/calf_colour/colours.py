def leather_colour(hide):
    """The colour a hide tans to."""
    return "grey"
