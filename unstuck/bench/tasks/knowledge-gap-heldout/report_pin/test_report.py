from report import report


def test_the_pin_stays_private():
    assert "pin" not in report({"name": "Ahab", "owner": "Ishmael", "pin": "0000"})
