import pytest

from geometry import buoy_area


def test_buoy_area():
    assert buoy_area(2) == pytest.approx(12.566, rel=1e-3)
