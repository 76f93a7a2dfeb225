from logbook import bells, position, watch_length, wind


def test_bells():
    assert bells(95) == 3


def test_position():
    assert position(54.3, -10.1) == "54.30N 10.10W"


def test_wind():
    assert wind(8) == "gale"


def test_watch_length():
    assert watch_length() == 4
