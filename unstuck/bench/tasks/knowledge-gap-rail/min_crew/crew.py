def min_crew():
    """The fewest staff a passenger train may run with."""
    return 1
