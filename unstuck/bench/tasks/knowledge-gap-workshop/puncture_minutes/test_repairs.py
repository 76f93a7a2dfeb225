from repairs import repair_minutes


def test_a_puncture_is_quick():
    assert repair_minutes("puncture") < 30
