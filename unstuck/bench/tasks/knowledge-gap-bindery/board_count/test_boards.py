from boards import Book, board_count


def test_three_volumes():
    assert board_count(Book(3)) == 6
