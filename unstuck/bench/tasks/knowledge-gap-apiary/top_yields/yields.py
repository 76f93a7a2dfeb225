def top_yields(kilos):
    """Honey yields of the hives, largest first."""
    return list(kilos)
