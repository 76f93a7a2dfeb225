"""The garden centre: its greenhouses, the plants and the labels on the benches."""

KINDS = ("roses", "herbs", "ferns", "shrubs", "trees")


def kind_of(code):
    """The kind of plant a product code stands for (its first letter)."""
    letter = code[:1].upper()
    if letter == "R":
        return "roses"
    if letter == "H":
        return "herbs"
    if letter == "F":
        return "ferns"
    if letter == "S":
        return "shrubs"
    return "trees"


def product_code(kind, number):
    """A product code: the kind's letter and a three-digit number."""
    return f"{kind[:1].upper()}{number:03d}"


def is_outdoor(code):
    """Trees are sold from the yard, not the greenhouse."""
    return kind_of(code) == "trees"


def greenhouses():
    """How many greenhouses the garden centre has."""
    return 2


def benches_per_greenhouse():
    """How many benches stand in one greenhouse."""
    return 6


def waterings_per_week(code):
    """How often a plant is watered in a week (yard plants: by the rain)."""
    if is_outdoor(code):
        return 0
    return 3


def opening_hours(day):
    """The gates' opening hours on a day of the week."""
    if day == "Monday":
        return None
    if day == "Sunday":
        return (10, 16)
    return (9, 18)


def bench_label(code, name):
    """The label on a bench."""
    return f"{product_code(kind_of(code), int(code[1:]))} {name[:16]}"
