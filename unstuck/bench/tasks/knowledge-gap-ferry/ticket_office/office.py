def ticket_office_open(hour):
    """Whether the ticket office is open at this hour of the day."""
    return 6 < hour < 22
