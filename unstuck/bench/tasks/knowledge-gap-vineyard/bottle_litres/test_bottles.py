import pytest

from bottles import litres


def test_four_bottles():
    assert litres(4) == pytest.approx(3.0)
