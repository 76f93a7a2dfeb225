"""The brewery's settings."""

BREWERY = "Old Mill"
