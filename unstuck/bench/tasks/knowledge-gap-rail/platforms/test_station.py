from station import board_line, platforms, stops, line_of


def test_line_of():
    assert line_of("C101") == "coast"


def test_stops():
    assert stops("A007") == 0


def test_board_line():
    assert board_line("N12", "York") == "N0012 York"


def test_platforms():
    assert platforms() == 6
