from lights import light_colour


def test_the_stern_light_is_white():
    assert light_colour("stern") == "white"
