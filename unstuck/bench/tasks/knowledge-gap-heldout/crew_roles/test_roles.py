from roles import roles


def test_roles():
    assert roles() == ["captain", "mate", "cook"]
