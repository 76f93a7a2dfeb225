from menu import prices


def test_croissant():
    assert prices()["croissant"] == 2
