from pits import pit_code


def test_the_ticket():
    assert pit_code(" north face") == "NORTH FACE"
