MAX_LENGTH = 25


def book(length):
    """Book a berth for a vessel of the given length in metres."""
    if length > MAX_LENGTH:
        raise ValueError("no berth")
    return f"booked {length} m"
