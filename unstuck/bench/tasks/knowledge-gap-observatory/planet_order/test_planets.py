import pytest

from planets import planet_order


def test_an_unknown_planet_is_an_error():
    with pytest.raises(KeyError, match="no such planet"):
        planet_order("Vulcan")
