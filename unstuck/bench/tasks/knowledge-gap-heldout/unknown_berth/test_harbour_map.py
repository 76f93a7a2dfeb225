import pytest

from harbour_map import berth


def test_an_unknown_berth_is_an_error():
    with pytest.raises(KeyError, match="unknown berth"):
        berth("Z9")
