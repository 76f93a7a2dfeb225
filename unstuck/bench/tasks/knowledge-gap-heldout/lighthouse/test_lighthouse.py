from lighthouse import Lighthouse


def test_range():
    assert Lighthouse(18).range_nm == 18
