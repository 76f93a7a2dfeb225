from dyes import dye_colours


def test_colours():
    assert dye_colours() == {"madder": "red", "woad": "blue"}
