from labels import label


def test_stout_label():
    assert label("Stout") == "Stout from Hop House"
