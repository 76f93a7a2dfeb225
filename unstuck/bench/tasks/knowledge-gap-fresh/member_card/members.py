class Member:
    """A library member."""

    def __init__(self, name, card_id):
        self.name = name
        self.card = card_id
