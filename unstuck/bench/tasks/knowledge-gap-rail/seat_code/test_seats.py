import pytest

from seats import parse_seat


def test_a_code_without_a_coach_is_refused():
    with pytest.raises(ValueError, match="coach letter"):
        parse_seat("12")
