from beds import beds


def test_beds():
    assert beds() == ["roses", "herbs", "ferns"]
