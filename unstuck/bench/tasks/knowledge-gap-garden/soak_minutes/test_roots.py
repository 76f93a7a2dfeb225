from roots import SOAK_MINUTES


def test_bare_roots_soak_for_90_minutes():
    assert SOAK_MINUTES == 90
