def lamp_turns(hours):
    """Turns the lamp makes in a number of hours, three a minute."""
    return hours * 60 * 3
