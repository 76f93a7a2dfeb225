import pytest

from hives import hive_frames


def test_no_boxes_is_refused():
    with pytest.raises(ValueError):
        hive_frames(0)
