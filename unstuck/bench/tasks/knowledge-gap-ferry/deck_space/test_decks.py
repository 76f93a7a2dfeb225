from decks import deck_space


def test_three_decks():
    assert deck_space(3) == 135
