from tides import tide_label


def test_the_board():
    assert tide_label(" FLOOD") == "flood"
