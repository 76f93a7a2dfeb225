def wheel_sizes():
    """The wheel sizes the workshop stocks, in inches."""
    return (26, 27)
