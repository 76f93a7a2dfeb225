from recipes import recipes


def test_rye():
    assert recipes()["rye"] == 500
