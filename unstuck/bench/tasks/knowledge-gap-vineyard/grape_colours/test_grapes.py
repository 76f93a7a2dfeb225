from grapes import grape_colours


def test_colours():
    assert grape_colours() == ("red", "white", "rose")
