from cloths import cover_cloths


def test_no_plastic_covers():
    assert "vinyl" not in cover_cloths()
