def route(start, end):
    """A ferry route as the timetable prints it."""
    return f"{start}-{end}"
