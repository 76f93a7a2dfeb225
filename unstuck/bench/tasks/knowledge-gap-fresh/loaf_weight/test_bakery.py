from bakery import LOAF_GRAMS


def test_a_loaf_weighs_800_grams():
    assert LOAF_GRAMS == 800
