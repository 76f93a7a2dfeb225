import pytest

from speed import to_knots


def test_to_knots():
    assert to_knots(37.04) == pytest.approx(20.0)
