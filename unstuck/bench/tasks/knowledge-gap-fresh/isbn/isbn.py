def parse_isbn(code):
    """The digits of an ISBN-13."""
    if len(code) != 13:
        raise ValueError("bad code")
    return [int(c) for c in code]
