import pytest

from measures import grams_to_cups


def test_250_grams():
    assert grams_to_cups(250) == pytest.approx(2.0)
