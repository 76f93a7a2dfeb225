from manifest import add_item


def test_add_item():
    assert add_item(name="rope", kilos=5) == {"name": "rope", "kilos": 5}
