from snacks import popcorn_prices


def test_there_is_a_medium():
    assert popcorn_prices() == {"small": 3, "medium": 4, "large": 5}
