class Gardener:
    """Someone who works in the greenhouses."""

    def __init__(self, name, shift):
        self.name = name
        self.hours = shift
