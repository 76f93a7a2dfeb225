def needs_bell(kind):
    """Whether a bike of this kind must be sold with a bell."""
    return kind == "track"
