import pytest

from stars import star_label


def test_an_empty_name_is_refused():
    with pytest.raises(ValueError, match="no star name"):
        star_label("")
