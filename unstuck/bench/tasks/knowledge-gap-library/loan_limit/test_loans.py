from loans import can_borrow


def test_seven_books_out():
    assert can_borrow(7)
