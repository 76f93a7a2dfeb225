import pytest

from cream import fat_grams


def test_two_litres():
    assert fat_grams(2) == pytest.approx(80.0)
