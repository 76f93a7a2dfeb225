import pytest

from units import kmh_to_ms


def test_72_kmh():
    assert kmh_to_ms(72) == pytest.approx(20.0)
