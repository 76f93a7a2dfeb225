from staff import Gardener


def test_shift():
    assert Gardener("Ivo", "late").shift == "late"
