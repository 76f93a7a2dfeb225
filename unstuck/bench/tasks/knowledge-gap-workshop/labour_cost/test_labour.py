from labour import labour_cost


def test_two_hours():
    assert labour_cost(2) == 60
