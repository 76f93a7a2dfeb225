import pytest

from isbn import parse_isbn


def test_a_short_code_is_refused():
    with pytest.raises(ValueError, match="13 digits"):
        parse_isbn("12345")
