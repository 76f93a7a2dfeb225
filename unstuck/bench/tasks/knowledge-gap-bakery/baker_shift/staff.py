class Baker:
    """Someone who bakes here."""

    def __init__(self, name, shift):
        self.name = name
        self.hours = shift
