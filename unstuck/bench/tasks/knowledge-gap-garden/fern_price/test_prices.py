from prices import prices


def test_fern():
    assert prices()["fern"] == 4
