from radio import channels


def test_channels():
    assert channels() == [16, 12, 14]
