from berths import free_berth


def test_an_empty_berth():
    assert free_berth("A2") is None
