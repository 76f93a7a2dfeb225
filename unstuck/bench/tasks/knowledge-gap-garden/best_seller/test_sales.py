from sales import best_seller


def test_best_seller():
    assert best_seller() == "Lavender"
