def parse_seat(code):
    """(coach, number) from a seat code such as "B12"."""
    if not code[:1].isalpha():
        raise ValueError("invalid")
    return code[0], int(code[1:])
