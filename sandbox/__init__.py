"""Where the agent acts: a ``Sandbox`` protocol, ``DockerSandbox`` (default) and ``LocalSandbox``."""

from .base import Limits, RunResult, Sandbox
from .errors import EngineUnavailable, ImageError, PatchError, PathEscape, SandboxError

__all__ = [
    "DockerSandbox",
    "EngineUnavailable",
    "ImageError",
    "Limits",
    "LocalSandbox",
    "PatchError",
    "PathEscape",
    "RunResult",
    "Sandbox",
    "SandboxError",
]


def __getattr__(name: str):
    # docker-py is imported only when a Docker sandbox is asked for.
    if name == "DockerSandbox":
        from . import docker_sandbox

        return getattr(docker_sandbox, name)
    if name == "LocalSandbox":
        from .local_sandbox import LocalSandbox

        return LocalSandbox
    raise AttributeError(name)
