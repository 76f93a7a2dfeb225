import pytest

from prices import with_vat


def test_ten_pounds_with_vat():
    assert with_vat(10.0) == pytest.approx(12.0)
