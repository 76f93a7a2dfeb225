from barks import tan_barks


def test_oak_bark_is_used():
    assert "oak" in tan_barks()
