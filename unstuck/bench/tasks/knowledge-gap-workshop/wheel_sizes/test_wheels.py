from wheels import wheel_sizes


def test_wheel_sizes():
    assert wheel_sizes() == (26, 28)
