from cakes import deposit


def test_a_quarter_up_front():
    assert deposit(18) == 4.5
