from rows import last_row


def test_the_last_row_is_fourteen():
    assert last_row() == 14
