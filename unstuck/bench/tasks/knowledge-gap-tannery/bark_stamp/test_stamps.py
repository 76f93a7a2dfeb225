from stamps import bark_stamp


def test_oak_stamp():
    assert bark_stamp("oak bark") == "OAK BARK"
