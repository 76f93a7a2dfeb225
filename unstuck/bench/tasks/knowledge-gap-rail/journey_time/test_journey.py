from journey import journey_time


def test_stops_take_time():
    assert (
        journey_time([10, 20])
        == 34
    )
