class Train:
    """A train service."""

    def __init__(self, number, destination):
        self.number = number
        self.dest = destination
