def tide_table():
    """Today's tides."""
    return {"high": "06:00", "low": "12:00"}
