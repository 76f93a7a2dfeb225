from kiln import pots_fired


def test_two_loads():
    assert pots_fired(2) == 80
