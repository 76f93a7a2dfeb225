def eyepieces(telescopes):
    """Eyepieces to pack for a number of telescopes, three each."""
    return telescopes * 3
