from stamps import maker_stamp


def test_stamp():
    assert maker_stamp("Ada") == "Forged by Ada"
