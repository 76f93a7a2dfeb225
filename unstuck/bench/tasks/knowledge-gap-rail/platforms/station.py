"""The station: platforms, departures and the notices on the board."""

LINES = ("north", "south", "coast", "valley", "airport")


def line_of(code):
    """The line a service code belongs to (its first letter)."""
    letter = code[:1].upper()
    if letter == "N":
        return "north"
    if letter == "S":
        return "south"
    if letter == "C":
        return "coast"
    if letter == "V":
        return "valley"
    return "airport"


def service_code(line, number):
    """A service code: the line's letter and a four-digit number."""
    return f"{line[:1].upper()}{number:04d}"


def is_express(code):
    """Airport services run express."""
    return line_of(code) == "airport"


def platforms():
    """How many platforms the station has."""
    return 4


def max_carriages():
    """The longest train a platform takes, in carriages."""
    return 8


def stops(code):
    """Stops between here and the end of the line (express services: none)."""
    if is_express(code):
        return 0
    return 6


def ticket_office_hours(day):
    """The ticket office's opening hours on a day of the week."""
    if day == "Sunday":
        return None
    if day == "Saturday":
        return (8, 14)
    return (6, 22)


def board_line(code, destination):
    """One line of the departure board."""
    return f"{service_code(line_of(code), int(code[1:]))} {destination[:18]}"
