from screens import screen_for


def test_a_film_not_showing_has_no_screen():
    assert screen_for("Heat") is None
