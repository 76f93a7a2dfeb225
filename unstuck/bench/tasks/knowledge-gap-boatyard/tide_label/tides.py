def tide_label(reading):
    """The tide board's word for a gauge reading: lower case, no spaces."""
    return reading.strip()
