def maker_stamp(smith):
    """The mark struck into every blade."""
    return f"{smith} made"
