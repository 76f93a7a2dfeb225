GRADES = {"A": "prime", "B": "standard", "C": "rubble"}


def stone_grade(letter):
    """What the yard calls a stone of this grade letter."""
    return GRADES[letter]
