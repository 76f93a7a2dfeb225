"""What every sandbox offers, and the small helpers both implementations share."""

from __future__ import annotations

import posixpath
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from .errors import PathEscape, SandboxError

DEFAULT_TIMEOUT = 60.0
OUTPUT_HEAD = 16 * 1024
OUTPUT_TAIL = 16 * 1024


@dataclass(frozen=True)
class RunResult:
    """What one command did: its exit code, its (capped) output, and whether it ran out of time."""

    exit_code: int
    output: str
    timed_out: bool
    duration: float
    truncated_bytes: int = 0
    cancelled: bool = False
    """The command was killed because the caller's cancel event was set."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of a sandbox container; every field can be overridden by keyword."""

    memory: str = "1g"
    """Memory limit (no swap beyond it); a process past it is killed by the kernel."""
    cpus: float = 1.0
    """CPU share, in cores."""
    pids: int = 256
    """Most processes at once (stops fork bombs)."""
    tmp_size: str = "256m"
    """Size of the writable tmpfs at /tmp."""
    network: bool = False
    """Network access; off by default (``network_mode=none``)."""


@runtime_checkable
class Sandbox(Protocol):
    """A copy of a repo where commands run and files change without touching the original."""

    isolated: bool

    def run(
        self, command: str, timeout: float = DEFAULT_TIMEOUT, *, env: Mapping[str, str] | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Run a shell line in the workspace; ``cancel`` set kills it within a fraction of a second."""
        ...

    def read_file(self, path: str) -> str: ...

    def write_file(self, path: str, text: str) -> None: ...

    def apply_patch(self, patch: str) -> None:
        """Apply a git patch to the workspace, all or nothing; ``PatchError`` says why it does not apply."""
        ...

    def diff(self) -> str: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


class CappedOutput:
    """Collects a stream of bytes keeping only its head and tail, counting what was cut."""

    def __init__(self, head: int = OUTPUT_HEAD, tail: int = OUTPUT_TAIL) -> None:
        self._head_limit, self._tail_limit = head, tail
        self._head = bytearray()
        self._tail = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self._head_limit - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self._tail += chunk
            if len(self._tail) > 2 * self._tail_limit:
                del self._tail[: len(self._tail) - self._tail_limit]

    @property
    def cut(self) -> int:
        kept = len(self._head) + min(len(self._tail), self._tail_limit)
        return self.total - kept

    def text(self) -> str:
        tail = bytes(self._tail[-self._tail_limit :]) if self._tail else b""
        head = bytes(self._head)
        if self.cut:
            marker = f"\n[… {self.cut} bytes of output cut; head and tail kept …]\n".encode()
            data = head + marker + tail
        else:
            data = head + tail
        return data.decode("utf-8", errors="replace")


def workspace_relative(path: str) -> str:
    """Normalise a path given by the agent to one inside the workspace, or raise ``PathEscape``.

    Symlinks are checked separately by each sandbox, where the files are.
    """
    if not path or path.strip() != path or "\x00" in path:
        raise PathEscape(f"invalid path {path!r}")
    if posixpath.isabs(path) or Path(path).is_absolute():
        raise PathEscape(f"absolute path {path!r} is outside the workspace; use a relative path")
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        raise PathEscape(f"path {path!r} escapes the workspace")
    if normal == "." or normal.split("/", 1)[0] == ".git":
        raise PathEscape(f"path {path!r} is not a file the agent may touch")
    return normal


CANCEL_POLL = 0.05
"""Seconds between looks at a cancel event while a command runs."""


def check_command(command: str) -> None:
    """Refuse a command the OS cannot run (NUL bytes) with a clear error."""
    if "\x00" in command:
        raise SandboxError("the command contains a NUL byte")
    if not command.strip():
        raise SandboxError("the command is empty")


def decode_text(data: bytes) -> str:
    """Bytes of a file as text; undecodable bytes become U+FFFD instead of crashing."""
    return data.decode("utf-8", errors="replace")
