from settings import CARS_PER_DECK


def deck_space(decks):
    """Cars the ferry carries on this many vehicle decks."""
    return decks * CARS_PER_DECK
