from studio import welcome


def test_welcome_ana():
    assert welcome("Ana") == "Welcome to the studio, Ana!"
