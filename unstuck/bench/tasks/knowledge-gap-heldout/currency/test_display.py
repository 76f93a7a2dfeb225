from display import show


def test_show():
    assert show(3) == "£3.00"
