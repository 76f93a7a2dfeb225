import pytest

from queens import queen_mark


def test_a_blank_colour_is_refused():
    with pytest.raises(ValueError, match="no colour"):
        queen_mark("  ")
