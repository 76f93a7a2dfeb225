import pytest

from fines import late_fine


def test_five_days_late():
    assert late_fine(5) == pytest.approx(1.0)
