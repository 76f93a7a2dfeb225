def thread_length(sections):
    """Centimetres of linen thread to sew this many sections."""
    return sections * 25
