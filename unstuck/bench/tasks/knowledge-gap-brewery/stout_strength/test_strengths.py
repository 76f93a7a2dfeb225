from strengths import strength


def test_stout():
    assert strength("stout") == 5.0
