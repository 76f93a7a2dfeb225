from shelves import rows


def test_rows():
    assert rows() == ["A", "B", "C", "D"]
