from cargo import max_load


def test_max_load_is_safe():
    assert max_load() <= 100
