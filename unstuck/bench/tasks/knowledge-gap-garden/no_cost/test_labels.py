from labels import label_line


def test_the_cost_stays_private():
    assert "cost" not in label_line({"name": "Fern", "price": "4.00", "cost": "1.10"})
