from casks import Cask


def test_capacity():
    assert Cask(225).capacity == 225
