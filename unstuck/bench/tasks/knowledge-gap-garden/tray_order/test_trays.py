import pytest

from trays import order_trays


def test_an_empty_order_is_refused():
    with pytest.raises(ValueError, match="at least one tray"):
        order_trays(0)
