from position import fmt


def test_fmt():
    assert fmt(54.3, 10.1) == "54.3N 10.1E"
