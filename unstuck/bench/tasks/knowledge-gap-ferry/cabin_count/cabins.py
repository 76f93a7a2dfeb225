def cabin_count(berths):
    """Cabins for this many berths, four to a cabin."""
    return -(-berths // 4)
