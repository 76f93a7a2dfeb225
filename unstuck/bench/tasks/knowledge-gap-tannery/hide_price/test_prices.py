from prices import hides_cost


def test_ten_hides():
    assert hides_cost(10) == 120
