from zones import zones


def test_airport():
    assert zones()["airport"] == 3
