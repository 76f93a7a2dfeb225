def closing_time(day):
    """When the library shuts on a day of the week."""
    if day == "Sunday":
        return "13:00"
    return "19:00"
