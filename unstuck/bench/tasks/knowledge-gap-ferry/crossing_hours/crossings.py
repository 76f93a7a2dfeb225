HOURS = {"Calais": 1.5, "Bilbao": 24}


def crossing_hours(port):
    """How long the crossing to a port takes, in hours."""
    return HOURS[port]
