import pytest

from wind import gale_force


def test_an_impossible_wind_is_refused():
    with pytest.raises(ValueError):
        gale_force(300)
