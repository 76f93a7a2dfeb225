def wine_label(grape, year):
    """The text printed on a bottle's label."""
    return f"{grape} {year}"
