import pytest

from night import night_minutes


def test_a_night_longer_than_a_day_is_refused():
    with pytest.raises(ValueError):
        night_minutes(30)
