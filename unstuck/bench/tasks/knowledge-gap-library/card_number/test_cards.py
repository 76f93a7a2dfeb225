from cards import card_number


def test_card_number():
    assert card_number(42) == "LIB-00042"
