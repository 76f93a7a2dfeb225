def bolt_label(cloth, metres):
    """The tag on a bolt of cloth."""
    return f"{cloth.title()}: {metres} m"
