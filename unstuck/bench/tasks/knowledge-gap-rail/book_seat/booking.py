def book_seat(train):
    """A seat booking."""
    return {"train": train}
