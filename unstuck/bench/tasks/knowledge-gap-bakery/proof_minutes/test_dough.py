from dough import PROOF_MINUTES


def test_the_dough_proves_for_90_minutes():
    assert PROOF_MINUTES == 90
