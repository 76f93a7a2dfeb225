from duty import duty


def test_duty_on_twenty():
    assert duty(20.0) == 3.0
