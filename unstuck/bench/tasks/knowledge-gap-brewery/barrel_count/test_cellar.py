from cellar import barrels


def test_four_hundred_litres():
    assert barrels(400) == 4
