from blocks import block_weight


def test_two_cubic_metres():
    assert block_weight(2) == 5.4
