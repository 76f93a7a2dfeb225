from cards import card_line


def test_the_email_stays_private():
    assert "@" not in card_line({"name": "Ada", "card": 42, "email": "ada@example.org"})
