from herd import breeds


def test_guernseys_are_kept():
    assert "Guernsey" in breeds()
