from signs import screen_label


def test_single_digit_screens_are_padded():
    assert screen_label(3) == "Screen 03"
