from catalogue import genres


def test_animation_is_shown():
    assert "animation" in genres()
