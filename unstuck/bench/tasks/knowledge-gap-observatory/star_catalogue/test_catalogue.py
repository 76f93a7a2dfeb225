from catalogue import star_catalogue


def test_the_catalogue_order():
    assert star_catalogue(["Vega", "Altair", "Deneb"]) == ["Altair", "Deneb", "Vega"]
