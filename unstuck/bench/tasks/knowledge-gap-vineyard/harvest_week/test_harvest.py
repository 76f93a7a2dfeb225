from harvest import harvest_week


def test_harvest_week():
    assert harvest_week(start=36, length=3) == 39
