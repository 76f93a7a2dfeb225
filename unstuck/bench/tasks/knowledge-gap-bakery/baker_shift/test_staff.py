from staff import Baker


def test_shift():
    assert Baker("Ida", "early").shift == "early"
