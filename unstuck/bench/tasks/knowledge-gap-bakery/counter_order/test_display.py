from display import counter


def test_counter():
    assert counter() == ["bread", "cakes", "pastries"]
