import pytest

from moisture import check_moisture


def test_soaked_clay_is_refused():
    with pytest.raises(ValueError, match="clay too wet"):
        check_moisture(40)
