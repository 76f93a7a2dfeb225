from till import total


def test_three_croissants():
    assert total(3) == 7.5
