def frost_alarm_at():
    """The temperature in degrees C at which the orchard's frost alarm sounds."""
    return 0
