from ticket import return_fare


def test_return_fare():
    assert return_fare() == 7.0
