from knots import knot_names


def test_no_granny_knot():
    assert "granny" not in knot_names()
