def card_line(member):
    """A member's line on the public notice board."""
    return f"{member['name']} #{member['card']} <{member['email']}>"
