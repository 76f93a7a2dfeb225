from colours import colour


def test_shino():
    assert colour("shino") == "orange"
