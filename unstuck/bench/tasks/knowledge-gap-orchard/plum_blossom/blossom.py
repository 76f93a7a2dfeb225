BLOSSOM = {"apple": "pink", "pear": "white"}


def blossom_colour(tree):
    """The colour of a fruit tree's blossom."""
    return BLOSSOM[tree]
