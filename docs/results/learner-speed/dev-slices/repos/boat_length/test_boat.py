from boat import Boat


def test_boat_keeps_its_length():
    assert Boat(12).length == 12
