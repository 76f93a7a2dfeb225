"""The ship's logbook: watches, entries and the way they are written down."""

WATCH_NAMES = ("first", "middle", "morning", "forenoon", "afternoon", "dog", "evening")


def watch_name(hour):
    """The name of the watch that includes the hour (0-23)."""
    if 20 <= hour or hour < 0:
        return "first"
    if hour < 4:
        return "middle"
    if hour < 8:
        return "morning"
    if hour < 12:
        return "forenoon"
    if hour < 16:
        return "afternoon"
    if hour < 18:
        return "dog"
    return "evening"


def watch_length():
    """Hours in one standard watch."""
    return 6


def watches_per_day():
    """How many standard watches a day has."""
    return 24 // watch_length()


def bells(minutes_into_watch):
    """Bells struck: one every half hour into the watch, at most eight."""
    return min(8, minutes_into_watch // 30)


def entry(time, text):
    """One logbook entry."""
    return f"{time} {text.strip()}"


def entries(lines):
    """Entries from (time, text) pairs, in time order."""
    return [entry(time, text) for time, text in sorted(lines)]


def position(lat, lon):
    """A position as the log writes it."""
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.2f}{ns} {abs(lon):.2f}{ew}"


def speed(nautical_miles, hours):
    """Speed over ground in knots."""
    return round(nautical_miles / hours, 1) if hours else 0.0


def wind(beaufort):
    """The wind, in words."""
    words = ["calm", "light air", "light breeze", "gentle breeze", "moderate breeze", "fresh breeze",
             "strong breeze", "near gale", "gale", "strong gale", "storm", "violent storm", "hurricane"]
    return words[min(max(beaufort, 0), len(words) - 1)]


def signature(officer):
    """How the officer of the watch signs the page."""
    return f"-- {officer.upper()}"


def page(officer, lines):
    """A whole page: the entries and the signature."""
    return "\n".join([*entries(lines), signature(officer)])
