"""The workshop's drivetrain sums: chains, gears and cassettes."""

SPEEDS = (8, 9, 10, 11, 12)


def chainring_teeth(size):
    """Teeth on a chainring of a named size."""
    if size == "small":
        return 34
    if size == "large":
        return 50
    return 42


def cassette_range(speeds):
    """The smallest and largest sprocket on a cassette with this many speeds."""
    if speeds >= 12:
        return (10, 51)
    if speeds >= 11:
        return (11, 42)
    return (11, 36)


def gear_ratio(chainring, sprocket):
    """Turns of the wheel per turn of the cranks."""
    return chainring / sprocket


def chain_links(chainstay_mm, chainring, sprocket):
    """Links a new chain needs: twice the chainstay in inches, plus half the teeth, plus one."""
    inches = chainstay_mm / 25.4
    return round(2 * inches + (chainring + sprocket) / 4 + 1)


def chain_worn(stretch_percent):
    """A chain is worn out past half a percent of stretch."""
    return stretch_percent > 0.5


def cable_length(frame_cm):
    """Gear cable to cut for a frame size, in centimetres."""
    return frame_cm * 3 + 20


def service_interval_km(riding):
    """Kilometres between drivetrain services."""
    if riding == "mud":
        return 500
    return 2000


def chain_label(speeds, links):
    """The tag on a chain on the workshop wall."""
    return f"{speeds}-speed, {links} links"
