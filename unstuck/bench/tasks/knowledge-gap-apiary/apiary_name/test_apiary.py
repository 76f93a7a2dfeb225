from apiary import apiary_name


def test_the_sign():
    assert apiary_name("old mill ") == "Old Mill"
