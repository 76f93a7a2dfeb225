from receipt import receipt


def test_service_is_added():
    assert (
        receipt([4.0, 6.0])
        == 11.0
    )
