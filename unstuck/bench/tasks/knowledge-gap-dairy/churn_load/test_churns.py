import pytest

from churns import churn_load


def test_an_overfull_churn():
    with pytest.raises(ValueError, match="more than 40"):
        churn_load(55)
