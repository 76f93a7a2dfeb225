"""The cellar's settings."""

BARREL_LITRES = 50
