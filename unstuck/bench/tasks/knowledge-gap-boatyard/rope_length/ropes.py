def rope_length(metres):
    """Rope to cut for a mooring line, with the stretch allowance."""
    stretch = 1.02
    return metres * stretch
