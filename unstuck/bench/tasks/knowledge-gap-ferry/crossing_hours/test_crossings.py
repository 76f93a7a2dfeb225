from crossings import crossing_hours


def test_roscoff():
    assert crossing_hours("Roscoff") == 6
