from sails import sail_area


def test_a_four_metre_foot():
    assert sail_area(4) == 18
