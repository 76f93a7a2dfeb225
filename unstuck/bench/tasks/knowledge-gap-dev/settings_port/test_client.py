from client import endpoint


def test_endpoint():
    assert endpoint() == "http://dock:9090/api"
