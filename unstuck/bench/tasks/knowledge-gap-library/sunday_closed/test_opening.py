from opening import closing_time


def test_shut_on_sundays():
    assert closing_time("Sunday") is None
