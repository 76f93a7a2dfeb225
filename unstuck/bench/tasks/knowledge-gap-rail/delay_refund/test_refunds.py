from refunds import delay_refund


def test_half_an_hour_late():
    assert delay_refund(30) == 4.5
