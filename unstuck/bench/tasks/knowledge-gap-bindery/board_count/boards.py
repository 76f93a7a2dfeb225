class Book:
    def __init__(self, volumes):
        self.volumes = volumes


def board_count(book):
    """Boards to cut: two for each volume."""
    return 2 * book.volume_count
