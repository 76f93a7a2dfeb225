def card_number(member_id):
    """The number printed on a library card."""
    return f"LIB-{member_id:04d}"
