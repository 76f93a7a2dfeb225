from berths import last_berth


def test_the_last_berth_is_nine():
    assert last_berth() == 9
