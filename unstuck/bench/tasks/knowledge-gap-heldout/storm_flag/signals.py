def storm_flag():
    """The flag the harbour raises in a storm."""
    return "yellow"
