import pytest

from soaking import soak_hours


def test_two_hides():
    assert soak_hours(2) == pytest.approx(7.5)
