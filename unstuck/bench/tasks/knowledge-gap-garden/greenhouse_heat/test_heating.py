from heating import night_temperature


def test_warm_nights():
    assert night_temperature() >= 18
