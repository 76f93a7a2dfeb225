import pytest

from malt import malt


def test_ten_litre_batch():
    assert malt(10) == pytest.approx(2.5)
