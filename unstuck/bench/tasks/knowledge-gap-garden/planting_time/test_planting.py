from planting import planting_minutes


def test_fetching_tools_takes_time():
    assert (
        planting_minutes([20, 25])
        == 55
    )
