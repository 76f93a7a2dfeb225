import pytest

from lamp import lamp_turns


def test_no_hours_is_refused():
    with pytest.raises(ValueError):
        lamp_turns(0)
