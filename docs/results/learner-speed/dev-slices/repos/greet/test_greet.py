from greet import greet


def test_greet():
    assert greet("Bob") == "Ahoy, Bob!"
