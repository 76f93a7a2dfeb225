def parse_age(text):
    """A crew member's age from a form field."""
    age = int(text)
    return age
