from planters import planter_price


def test_planter_price():
    assert planter_price() == 3.0
