from members import Member


def test_card_id():
    assert Member("Ada", 42).card_id == 42
