from sieves import sieve_gap


def test_a_gap_is_never_closed():
    assert sieve_gap(4) > 0
