import pytest

from ropes import rope_length


def test_a_hundred_metres():
    assert rope_length(100) == pytest.approx(105.0)
