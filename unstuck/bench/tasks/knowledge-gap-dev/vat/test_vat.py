from vat import with_vat


def test_with_vat():
    assert with_vat(100) == 121.0
