def bark_stamp(bark):
    """The stamp on a bale of bark."""
    return bark.title()
