from shuttles import shuttle_weight


def test_light_enough_to_throw():
    assert shuttle_weight() < 200
