class Cask:
    """An oak cask in the cellar."""

    def __init__(self, litres):
        self.size = litres
