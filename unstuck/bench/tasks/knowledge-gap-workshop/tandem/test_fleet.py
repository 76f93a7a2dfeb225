from fleet import bike_types


def test_tandems_for_hire():
    assert "tandem" in bike_types()
