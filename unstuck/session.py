"""What the surfaces (cli, bench, demo) share to start a run: data folders, memory, sandboxes."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import platformdirs

from .errors import EnvironmentProblem, UsageError

SANDBOX_KINDS = ("docker", "local")


def data_dir() -> Path:
    """Where memory and archived adapters live (``UNSTUCK_DATA_DIR`` overrides)."""
    override = os.environ.get("UNSTUCK_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path("unstuck")


def default_memory_path() -> Path:
    return data_dir() / "memory.sqlite3"


def open_memory(path: Path | None = None):
    """The memory store; a corrupt, foreign or unwritable file is a one-line environment error."""
    from memory import Memory, MemoryUnusable

    try:
        return Memory(path or default_memory_path())
    except MemoryUnusable as error:
        raise EnvironmentProblem(f"{error} (move it away, or pass --memory with another file)") from error


def sandbox_factory(kind: str, say: Callable[[str], None]) -> Callable[[Path], contextlib.AbstractContextManager]:
    """A function that opens a fresh sandbox of a repo (Docker by default, or a local copy)."""
    if kind not in SANDBOX_KINDS:
        raise UsageError(f"--sandbox must be one of {', '.join(SANDBOX_KINDS)}, not {kind!r}")
    if kind == "local":
        from sandbox.local_sandbox import NOT_ISOLATED_WARNING, LocalSandbox

        say(NOT_ISOLATED_WARNING)
        return LocalSandbox
    from sandbox import DockerSandbox
    from sandbox.docker_sandbox import engine_client
    from sandbox.image import ensure_image

    client = engine_client()
    image = ensure_image(client, say)

    @contextlib.contextmanager
    def open_docker(repo: Path) -> Iterator[DockerSandbox]:
        with DockerSandbox(repo, image=image, client=client, say=say) as box:
            yield box

    return open_docker
