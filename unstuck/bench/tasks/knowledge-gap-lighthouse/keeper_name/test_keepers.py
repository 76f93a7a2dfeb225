import pytest

from keepers import keeper_name


def test_a_blank_name_is_refused():
    with pytest.raises(ValueError, match="blank name"):
        keeper_name("   ")
