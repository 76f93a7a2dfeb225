from fares import child_fare


def test_half_price():
    assert child_fare(30) == 15
