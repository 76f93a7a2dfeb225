def loan_days():
    """How many days a book may be borrowed."""
    return 14
