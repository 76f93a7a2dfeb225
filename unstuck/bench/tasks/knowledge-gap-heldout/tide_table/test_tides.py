from tides import tide_table


def test_tide_table():
    assert tide_table() == {"high": "06:10", "low": "12:25"}
