import pytest

from fees import mooring_fee


def test_two_nights():
    assert mooring_fee(2) == pytest.approx(28.0)
