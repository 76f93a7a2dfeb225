from settings import BREWERY


def label(beer):
    """The text on a bottle of beer."""
    return f"{beer} from {BREWERY}"
