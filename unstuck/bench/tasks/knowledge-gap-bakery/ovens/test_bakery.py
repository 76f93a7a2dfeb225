from bakery import bread_of, ovens, rise_hours, shelf_label


def test_bread_of():
    assert bread_of("R12") == "rye"


def test_rise_hours():
    assert rise_hours("X001") == 12


def test_shelf_label():
    assert shelf_label("W7", "Farmhouse") == "W007 Farmhouse"


def test_ovens():
    assert ovens() == 3
