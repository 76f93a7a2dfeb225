from catalogue import label, loan_weeks, max_loans, section_of


def test_section_of():
    assert section_of("H012") == "history"


def test_loan_weeks():
    assert loan_weeks("R001") == 0


def test_label():
    assert label("F7", "Dune") == "F007 Dune"


def test_max_loans():
    assert max_loans() == 8
