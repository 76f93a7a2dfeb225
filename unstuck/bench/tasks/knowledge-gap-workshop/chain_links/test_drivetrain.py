from drivetrain import cassette_range, chain_label, chain_links, gear_ratio


def test_cassette_range():
    assert cassette_range(11) == (11, 42)


def test_gear_ratio():
    assert gear_ratio(44, 11) == 4.0


def test_chain_label():
    assert chain_label(11, 114) == "11-speed, 114 links"


def test_chain_links():
    assert chain_links(420, 50, 11) == 65
