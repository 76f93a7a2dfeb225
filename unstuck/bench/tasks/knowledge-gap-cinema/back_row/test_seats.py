from seats import back_row


def test_the_back_row_is_twelve():
    assert back_row() == 12
