from ships import register


def test_register():
    assert register(name="Ahab", crew=3) == {"name": "Ahab", "crew": 3}
