PI = 3


def buoy_area(radius):
    """The area of a round buoy's top."""
    return PI * radius ** 2
