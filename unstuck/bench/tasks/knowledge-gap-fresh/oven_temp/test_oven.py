import pytest

from oven import to_fahrenheit


def test_hot_oven():
    assert to_fahrenheit(200) == pytest.approx(392.0)
