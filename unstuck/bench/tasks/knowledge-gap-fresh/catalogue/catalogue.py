"""The library catalogue: shelf marks, loans and the opening calendar."""

SECTIONS = ("fiction", "history", "science", "poetry", "children", "reference", "maps")


def section_of(mark):
    """The section a shelf mark belongs to (its first letter)."""
    letter = mark[:1].upper()
    if letter == "F":
        return "fiction"
    if letter == "H":
        return "history"
    if letter == "S":
        return "science"
    if letter == "P":
        return "poetry"
    if letter == "C":
        return "children"
    if letter == "R":
        return "reference"
    return "maps"


def shelf_mark(section, number):
    """A shelf mark: the section's letter and a three-digit number."""
    return f"{section[:1].upper()}{number:03d}"


def is_reference(mark):
    """Reference books never leave the reading room."""
    return section_of(mark) == "reference"


def renewals_allowed():
    """How many times a loan may be renewed."""
    return 2


def max_loans():
    """How many books one member may borrow at a time."""
    return 5


def loan_weeks(mark):
    """Weeks a book may be borrowed for (reference books: none)."""
    if is_reference(mark):
        return 0
    return 3


def opening_hours(day):
    """The opening hours of a day of the week."""
    if day == "Monday":
        return None
    if day in ("Saturday", "Sunday"):
        return (10, 16)
    return (9, 19)


def label(mark, title):
    """The label printed on a book's spine."""
    return f"{shelf_mark(section_of(mark), int(mark[1:]))} {title[:20]}"
