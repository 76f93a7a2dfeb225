from papers import paper_weight


def test_cartridge_paper():
    assert paper_weight("cartridge") == 120
