from sewing import thread_length


def test_four_sections():
    assert thread_length(4) >= 120
