SOURCES = {"heather": "August", "lime": "July"}


def nectar_source(plant):
    """The month a plant yields nectar."""
    return SOURCES.get(plant, "")
