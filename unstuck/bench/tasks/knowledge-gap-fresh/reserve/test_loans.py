from loans import reserve


def test_reserve_for_a_week():
    assert reserve("Dune", days=7) == {"title": "Dune", "days": 7}
