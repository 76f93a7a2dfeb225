import pytest

from eyepieces import eyepieces


def test_no_telescopes_is_refused():
    with pytest.raises(ValueError):
        eyepieces(0)
