from labels import lot_label


def test_label():
    assert lot_label(7) == "Lot 7"
