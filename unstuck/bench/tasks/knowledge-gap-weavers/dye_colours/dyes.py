def dye_colours():
    """The colour each dye plant gives the wool."""
    return {"madder": "red", "woad": "green"}
