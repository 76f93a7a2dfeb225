def star_label(name):
    """A star's name as the chart prints it."""
    return name.strip().upper()
