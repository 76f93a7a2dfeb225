import pytest

from booking import book


def test_a_long_vessel_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="longer than 25 m"):
        book(30)
