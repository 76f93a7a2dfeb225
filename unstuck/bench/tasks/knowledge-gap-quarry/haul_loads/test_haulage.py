from haulage import haul_loads


def test_a_hundred_tonnes():
    assert haul_loads(100) == 4
