def vessel_kinds():
    """The kinds of vessel the harbour takes."""
    return ["yacht", "ferry"]
