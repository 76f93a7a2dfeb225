from costs import milk_cost


def test_ten_litres():
    assert milk_cost(10) == 4.0
