from fines import late_fine


def test_four_days_late():
    assert late_fine(4) == 2.0
