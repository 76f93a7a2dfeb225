from blossom import blossom_colour


def test_the_plum_blossom_is_white():
    assert blossom_colour("plum") == "white"
