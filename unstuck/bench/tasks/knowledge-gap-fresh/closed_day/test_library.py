from library import closed_day


def test_closed_day():
    assert closed_day() == "Monday"
