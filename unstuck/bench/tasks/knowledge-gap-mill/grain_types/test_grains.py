from grains import grain_types


def test_spelt_is_ground():
    assert "spelt" in grain_types()
