import pytest

from catalogue import shelf_of


def test_a_book_we_do_not_have():
    with pytest.raises(KeyError):
        shelf_of("0000000000000")
