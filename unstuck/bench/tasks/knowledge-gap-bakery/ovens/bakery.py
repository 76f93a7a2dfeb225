"""The bakery: its ovens, the day's bakes and the labels on the shelves."""

BREADS = ("white", "brown", "rye", "spelt", "sourdough")


def bread_of(code):
    """The bread a product code stands for (its first letter)."""
    letter = code[:1].upper()
    if letter == "W":
        return "white"
    if letter == "B":
        return "brown"
    if letter == "R":
        return "rye"
    if letter == "S":
        return "spelt"
    return "sourdough"


def product_code(bread, number):
    """A product code: the bread's letter and a three-digit number."""
    return f"{bread[:1].upper()}{number:03d}"


def is_slow_rise(code):
    """Sourdough rises overnight."""
    return bread_of(code) == "sourdough"


def ovens():
    """How many ovens the bakery has."""
    return 2


def trays_per_oven():
    """How many trays one oven takes."""
    return 6


def rise_hours(code):
    """Hours the dough rises (slow-rise breads: overnight)."""
    if is_slow_rise(code):
        return 12
    return 2


def opening_hours(day):
    """The shop's opening hours on a day of the week."""
    if day == "Monday":
        return None
    if day == "Sunday":
        return (8, 12)
    return (7, 18)


def shelf_label(code, name):
    """The label on a shelf."""
    return f"{product_code(bread_of(code), int(code[1:]))} {name[:16]}"
