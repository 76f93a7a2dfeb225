def make_ticket(number):
    """The id of a harbour ticket."""
    return f"TK-{number}"
