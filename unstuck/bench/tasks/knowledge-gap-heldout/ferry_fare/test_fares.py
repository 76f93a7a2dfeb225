from fares import fare


def test_fare():
    assert (
        fare(4)
        == 12.0
    )
