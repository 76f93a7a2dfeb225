from hours import closing_day


def test_open_every_day():
    assert closing_day() is None
