from gears import default_gear


def test_not_left_in_the_lowest_gear():
    assert default_gear() != 1
