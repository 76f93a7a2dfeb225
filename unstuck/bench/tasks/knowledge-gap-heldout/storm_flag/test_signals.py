from signals import storm_flag


def test_storm_flag():
    assert storm_flag() == "red"
