from receipts import receipt_line


def test_the_card_number_stays_private():
    assert "4929" not in receipt_line({"item": "bun", "count": 6, "card": "4929 1234"})
