from family import family_price


def test_family_price():
    assert family_price(50) == 37.5
