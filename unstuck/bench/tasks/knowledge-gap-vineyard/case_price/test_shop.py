from shop import case_price


def test_case_of_ten_pound_bottles():
    assert case_price(10) == 120
