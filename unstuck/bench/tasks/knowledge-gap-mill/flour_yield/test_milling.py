import pytest

from milling import flour_yield


def test_a_hundred_kilos():
    assert flour_yield(100) == pytest.approx(75.0)
