from cake_orders import cake_order


def test_a_two_tier_cake():
    assert cake_order("lemon", tiers=2) == {"flavour": "lemon", "tiers": 2}
