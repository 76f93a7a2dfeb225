import pytest

from prices import crate_price


def test_ten_kilos():
    assert crate_price(10) == pytest.approx(24.0)
