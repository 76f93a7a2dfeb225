from renewals import max_renewals


def test_adults_renew_three_times_at_most():
    assert max_renewals("adult") <= 3
