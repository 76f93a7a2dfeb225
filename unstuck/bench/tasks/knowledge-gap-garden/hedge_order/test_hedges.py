from hedges import hedge_order


def test_two_metres_of_yew():
    assert hedge_order("yew", metres=2) == {"species": "yew", "metres": 2}
