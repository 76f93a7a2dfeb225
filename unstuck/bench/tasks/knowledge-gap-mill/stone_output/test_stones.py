from stones import stone_output


def test_three_hours():
    assert stone_output(3) == 240
