from tongs import tong_count


def test_wolf_jaw_tongs():
    assert tong_count("wolf") == 1
