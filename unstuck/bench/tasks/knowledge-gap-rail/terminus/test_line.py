from line import terminus


def test_terminus():
    assert terminus() == "Harbour"
