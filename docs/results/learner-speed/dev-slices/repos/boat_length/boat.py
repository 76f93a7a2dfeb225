class Boat:
    """A boat at the marina."""

    def __init__(self, length):
        self.size = length
