from berths import free


def test_free():
    assert free(10) == 62
