from docks import dock_fees


def test_medium_fee():
    assert dock_fees()["medium"] == 12
