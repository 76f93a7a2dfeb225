from colours import leather_colour


def test_calf_is_not_grey():
    assert leather_colour("calf") != "grey"
