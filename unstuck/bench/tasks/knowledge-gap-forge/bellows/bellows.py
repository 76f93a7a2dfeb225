class Bellows:
    """The forge's bellows, counting its strokes."""

    def __init__(self):
        self.strokes = 0

    def pump(self):
        self.stroke += 1
        return self.strokes
