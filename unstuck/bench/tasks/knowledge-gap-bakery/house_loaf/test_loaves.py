from loaves import house_loaf


def test_house_loaf():
    assert house_loaf() == "Sourdough"
