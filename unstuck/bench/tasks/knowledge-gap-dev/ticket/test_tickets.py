from tickets import make_ticket


def test_make_ticket():
    assert make_ticket(7) == "HB-0007"
