from routes import route


def test_route():
    assert (
        route("Kiel", "Oslo")
        == "Kiel → Oslo"
    )
