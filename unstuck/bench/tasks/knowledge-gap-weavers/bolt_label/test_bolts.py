from bolts import bolt_label


def test_tweed_bolt():
    assert bolt_label("tweed", 30) == (
        "Tweed, 30 m"
    )
