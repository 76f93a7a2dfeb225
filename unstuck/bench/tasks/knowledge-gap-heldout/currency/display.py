from money import SYMBOL


def show(amount):
    """A price on the harbour shop's screen."""
    return f"{SYMBOL}{amount:.2f}"
