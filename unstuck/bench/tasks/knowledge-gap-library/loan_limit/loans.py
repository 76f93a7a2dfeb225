MAX_LOANS = 8


def can_borrow(on_loan):
    """Whether a member with this many books out may take another."""
    return on_loan < LOAN_LIMIT
