"""Errors a user can cause or fix; each carries its one-line message and exit code."""

EXIT_FIXED, EXIT_NOT_FIXED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


class UnstuckError(Exception):
    """Base of the errors shown to the user as one line."""

    exit_code = EXIT_NOT_FIXED


class UsageError(UnstuckError):
    """The command line or its inputs are wrong."""

    exit_code = EXIT_USAGE


class EnvironmentProblem(UnstuckError):
    """Something the machine lacks: a Docker engine, a model, disk space."""

    exit_code = EXIT_ENVIRONMENT


class ModelUnavailable(EnvironmentProblem):
    """The model cannot be found or loaded."""
