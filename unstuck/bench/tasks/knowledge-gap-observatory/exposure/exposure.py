def exposure_ms(seconds_text):
    """An exposure time from the log, in milliseconds."""
    seconds = float(seconds_text)
    return seconds * 1000
