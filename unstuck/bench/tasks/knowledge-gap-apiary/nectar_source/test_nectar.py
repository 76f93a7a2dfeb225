import pytest

from nectar import nectar_source


def test_an_unknown_plant_is_an_error():
    with pytest.raises(KeyError, match="unknown plant"):
        nectar_source("fern")
