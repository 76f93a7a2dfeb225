FLAGS = {"Mary Rose": "red", "Cutty Sark": "blue"}


def ship_flag(ship):
    """The flag a ship flies."""
    return FLAGS.get(ship, "none")
