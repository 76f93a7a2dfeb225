"""Errors the sandbox raises; each carries the one line a user should see."""


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (its type name when it has none)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class SandboxError(Exception):
    """Something went wrong inside or around the sandbox."""

    exit_code = 1


class EngineUnavailable(SandboxError):
    """No Docker engine answers, or it stopped answering mid-run."""

    exit_code = 3


class ImageError(SandboxError):
    """The sandbox image could not be found or built."""

    exit_code = 3


class PathEscape(SandboxError):
    """A path points outside the workspace (``..``, absolute, or a symlink out)."""

    exit_code = 2


class PatchError(SandboxError):
    """A patch does not apply to the workspace."""

    exit_code = 1
