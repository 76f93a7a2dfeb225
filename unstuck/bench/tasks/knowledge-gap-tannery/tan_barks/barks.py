def tan_barks():
    """Weeks a tan of each bark takes to cure a hide."""
    return {"chestnut": 4, "willow": 2}
