def fog_gap(seconds_text):
    """Seconds between two blasts of the fog horn, from the log."""
    seconds = float(seconds_text)
    return seconds * 2
