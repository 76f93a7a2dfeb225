from banner import banner


def test_banner_names_the_harbour():
    assert "harbour" in banner("Kiel")
