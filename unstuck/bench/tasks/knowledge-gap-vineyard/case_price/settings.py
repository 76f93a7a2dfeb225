"""The shop's settings."""

CASE_SIZE = 6
