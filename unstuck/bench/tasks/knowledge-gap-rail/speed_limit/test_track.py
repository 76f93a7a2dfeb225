from track import SPEED_LIMIT


def test_the_line_speed_is_125():
    assert SPEED_LIMIT == 125
