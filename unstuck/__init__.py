"""unstuck: a Python coding agent that notices when it is stuck and updates its beliefs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("unstuck")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
