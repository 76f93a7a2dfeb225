import pytest

from watering import litres_to_cans


def test_ten_litres():
    assert litres_to_cans(10) == pytest.approx(2.0)
