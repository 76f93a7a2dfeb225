from tyres import tyre_pressure


def test_the_rear_tyre_is_harder():
    assert tyre_pressure() == {"front": 4.0, "rear": 4.5}
