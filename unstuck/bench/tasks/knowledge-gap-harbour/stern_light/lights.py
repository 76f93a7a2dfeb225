LIGHTS = {"port": "red", "starboard": "green"}


def light_colour(side):
    """The colour of a vessel's navigation light on one side."""
    return LIGHTS[side]
