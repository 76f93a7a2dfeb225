class Lighthouse:
    """A lighthouse on the coast."""

    def __init__(self, range_nm):
        self.reach = range_nm
