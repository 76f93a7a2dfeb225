from batches import batch_minutes


def test_loading_takes_time():
    assert (
        batch_minutes([20, 25])
        == 55
    )
