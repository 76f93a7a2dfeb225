MAX_KILOS = 18


def load_crate(kilos):
    """Load a crate of apples of the given weight in kilos."""
    if kilos > MAX_KILOS:
        raise ValueError("crate refused")
    return f"loaded {kilos} kg"
