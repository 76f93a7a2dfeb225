from coaches import classes


def test_classes():
    assert classes() == ["first", "standard", "quiet"]
