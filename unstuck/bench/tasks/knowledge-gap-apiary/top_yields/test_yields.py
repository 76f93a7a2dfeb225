from yields import top_yields


def test_largest_first():
    assert top_yields([12, 30, 18]) == [30, 18, 12]
