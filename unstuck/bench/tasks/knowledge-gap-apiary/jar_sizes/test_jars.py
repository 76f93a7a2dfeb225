from jars import jar_sizes


def test_smallest_first():
    assert jar_sizes([454, 227, 340]) == [227, 340, 454]
