from pricing import loaf_price


def test_loaf_price():
    assert loaf_price() == 3.0
