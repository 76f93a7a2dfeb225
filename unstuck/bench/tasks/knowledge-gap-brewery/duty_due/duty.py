DUTY_RATE = 0.1


def duty(price):
    """The duty owed on a cask sold at price."""
    return round(price * DUTY_RATE, 2)
