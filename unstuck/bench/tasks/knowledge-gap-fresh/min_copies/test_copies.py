from copies import min_copies


def test_enough_copies():
    assert min_copies() >= 3
