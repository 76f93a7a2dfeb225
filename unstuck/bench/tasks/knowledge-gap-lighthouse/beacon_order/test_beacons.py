from beacons import beacon_order


def test_the_chart_order():
    assert beacon_order(["Tor", "Aln", "Fal"]) == ["Aln", "Fal", "Tor"]
