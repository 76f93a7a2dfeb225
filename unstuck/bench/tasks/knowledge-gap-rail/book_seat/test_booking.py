from booking import book_seat


def test_book_in_coach_b():
    assert book_seat("IC 5", coach="B") == {"train": "IC 5", "coach": "B"}
