import pytest

from anvils import anvil_weight


def test_no_negative_anvil():
    with pytest.raises(ValueError, match="negative"):
        anvil_weight(-5)
