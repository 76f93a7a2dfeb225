from doors import may_enter


def test_fifteen_minutes_late_is_let_in():
    assert may_enter(15) is True
