import math

from settings import LORRY_TONNES


def haul_loads(tonnes):
    """Lorry loads to haul so many tonnes of stone."""
    return math.ceil(tonnes / LORRY_TONNES)
