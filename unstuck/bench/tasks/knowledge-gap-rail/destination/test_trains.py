from trains import Train


def test_destination():
    assert Train("IC 5", "York").destination == "York"
