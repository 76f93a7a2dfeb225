import pytest

from spokes import spokes


def test_no_wheels_is_refused():
    with pytest.raises(ValueError):
        spokes(0)
