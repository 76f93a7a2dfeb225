from floors import sections


def test_there_is_poetry():
    assert "poetry" in sections()
