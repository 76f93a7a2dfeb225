from prices import format_price


def test_format_price():
    assert format_price(5) == "5.00 doubloons"
