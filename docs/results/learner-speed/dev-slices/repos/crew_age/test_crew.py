import pytest

from crew import parse_age


def test_a_negative_age_is_refused():
    with pytest.raises(ValueError):
        parse_age("-4")
