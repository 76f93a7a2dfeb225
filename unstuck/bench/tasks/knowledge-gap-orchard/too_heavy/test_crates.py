import pytest

from crates import load_crate


def test_a_heavy_crate_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="heavier than 18 kg"):
        load_crate(20)
