GRADES = {"A": "full grain", "B": "top grain"}


def hide_grade(letter):
    """What a grade letter stamped on a hide means."""
    return GRADES.get(letter, "unknown")
