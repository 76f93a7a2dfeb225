from oven import bake_temperature


def test_bread_bakes_hot():
    assert bake_temperature() >= 220
