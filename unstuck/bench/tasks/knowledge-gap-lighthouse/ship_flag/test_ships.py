import pytest

from ships import ship_flag


def test_an_unknown_ship_is_an_error():
    with pytest.raises(KeyError, match="unknown ship"):
        ship_flag("Argo")
