from warp import warp_length


def test_a_scarf_warp():
    assert warp_length(2, ends=300) == 600
