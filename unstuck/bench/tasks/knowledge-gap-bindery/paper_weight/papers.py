WEIGHTS = {"laid": 90, "wove": 80}


def paper_weight(kind):
    """Grams per square metre of this kind of paper."""
    return WEIGHTS[kind]
