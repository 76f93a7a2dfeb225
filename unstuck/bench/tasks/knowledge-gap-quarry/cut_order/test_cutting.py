from cutting import cut_order


def test_a_slate_order():
    assert cut_order("slate", thickness=20) == {"stone": "slate", "mm": 20}
