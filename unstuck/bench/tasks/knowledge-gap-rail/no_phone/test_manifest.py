from manifest import passenger_line


def test_the_phone_number_stays_private():
    assert "07700" not in passenger_line({"name": "Ada", "seat": "B12", "phone": "07700 900123"})
