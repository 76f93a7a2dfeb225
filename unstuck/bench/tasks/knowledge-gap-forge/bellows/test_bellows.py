from bellows import Bellows


def test_one_pump_is_one_stroke():
    bellows = Bellows()
    assert bellows.pump() == 1
