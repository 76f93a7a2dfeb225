import pytest

from orders import order_dozens


def test_an_empty_order_is_refused():
    with pytest.raises(ValueError, match="at least one dozen"):
        order_dozens(0)
