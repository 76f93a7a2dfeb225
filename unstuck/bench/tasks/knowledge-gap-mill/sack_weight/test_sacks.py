import pytest

from sacks import sack_weight


def test_too_heavy_to_lift():
    with pytest.raises(ValueError, match="heavier than 25"):
        sack_weight(30)
