"""What runs share: the data folders, memory, the sandbox factory, and a model loaded once.

A surface that runs many tasks (the TUI, the LSP server) keeps one ``Runtime``; each task is
``runtime.start(task, settings)``, a ``RunHandle``.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from .errors import EnvironmentProblem, UsageError
from .task import Task

if TYPE_CHECKING:
    from memory import Memory
    from sandbox import DockerSandbox, LocalSandbox

    from .agent import Agent
    from .config import SandboxSettings, Settings
    from .handle import EventCallback, RunHandle
    from .policy import Policy

Say = Callable[[str], None]


def data_dir() -> Path:
    """Where memory, runs and archived adapters live (``UNSTUCK_DATA_DIR`` overrides)."""
    override = os.environ.get("UNSTUCK_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path("unstuck")


def default_memory_path() -> Path:
    return data_dir() / "memory.sqlite3"


def new_trajectory_path() -> Path:
    return data_dir() / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}.jsonl"


def open_memory(path: Path | None = None) -> Memory:
    """The memory store; a corrupt, foreign or unwritable file is a one-line environment error."""
    from memory import Memory, MemoryUnusable

    try:
        return Memory(path or default_memory_path())
    except MemoryUnusable as error:
        raise EnvironmentProblem(f"{error} (move it away, or pass --memory with another file)") from error


def sandbox_factory(settings: SandboxSettings, say: Say) -> DockerSandboxes | LocalSandboxes:
    """Opens fresh sandboxes of a repo (Docker by default, or a local copy), each prepared once per repo."""
    if settings.kind not in ("docker", "local"):
        raise UsageError(f"--sandbox must be docker or local, not {settings.kind!r}")
    return LocalSandboxes(say) if settings.kind == "local" else DockerSandboxes(settings, say)


class DockerSandboxes:
    """Docker sandboxes; ``prepare`` installs a repo's dependencies into an image its sandboxes start from."""

    def __init__(self, settings: SandboxSettings, say: Say) -> None:
        from sandbox.docker_sandbox import engine_client
        from sandbox.image import ensure_image

        self.client = engine_client()
        self.base = ensure_image(self.client, say)
        self.limits = settings.limits()
        self.say = say
        self.images: dict[Path, str] = {}

    def prepare(self, repo: Path, setup: str | None = None) -> float:
        """The repo's setup (dependencies installed once, cached as an image); seconds it took (0 cached).
        ``setup`` is a shell line, or None to detect one, or "" for none. ``SetupFailed`` when it fails."""
        from sandbox.environment import prepare_environment

        if setup == "":
            self.images[repo.resolve()] = self.base
            return 0.0
        image, seconds = prepare_environment(self.client, repo, self.base, setup, say=self.say)
        self.images[repo.resolve()] = image
        return seconds

    @contextlib.contextmanager
    def __call__(self, repo: Path) -> Iterator[DockerSandbox]:
        from sandbox import DockerSandbox

        image = self.images.get(repo.resolve(), self.base)
        with DockerSandbox(repo, image=image, client=self.client, say=self.say, **self.limits) as box:
            yield box


class LocalSandboxes:
    """Temporary local copies (NOT isolated); they use this machine's Python and packages as they are."""

    def __init__(self, say: Say) -> None:
        from sandbox.local_sandbox import NOT_ISOLATED_WARNING

        say(NOT_ISOLATED_WARNING)
        self.say = say

    def prepare(self, repo: Path, setup: str | None = None) -> float:
        if setup:
            self.say("local sandbox: the setup command is not run; install the repo's dependencies yourself")
        return 0.0

    def __call__(self, repo: Path) -> AbstractContextManager[LocalSandbox]:
        from sandbox.local_sandbox import LocalSandbox

        return LocalSandbox(repo)


class Runtime:
    """The model, sandboxes and memory for runs with the same model; each part made on first use."""

    def __init__(self, settings: Settings, *, memory_path: Path | None = None, use_memory: bool = True,
                 say: Say = lambda _message: None, policy: Policy | None = None) -> None:
        self.settings = settings
        self.memory_path = memory_path
        self.use_memory = use_memory
        self.say = say
        if policy is not None:  # an already loaded model (e.g. shared by tests)
            self.__dict__["policy"] = policy

    @cached_property
    def policy(self) -> Policy:
        from .models import load_model
        from .policy import Policy

        model = self.settings.model
        return Policy(load_model(model.model, model.device, model.dtype))

    @cached_property
    def sandboxes(self) -> DockerSandboxes | LocalSandboxes:
        return sandbox_factory(self.settings.sandbox, self.say)

    @cached_property
    def memory(self) -> Memory | None:
        return open_memory(self.memory_path) if self.use_memory else None

    def agent(self, settings: Settings | None = None) -> Agent:
        """An agent with this runtime's parts and ``settings`` (this runtime's by default)."""
        from .agent import Agent

        settings = settings or self.settings
        return Agent(self.policy, self.sandboxes, settings.agent, memory=self.memory,
                     learner_settings=settings.learner,
                     adapters_dir=data_dir() / "adapters" if self.memory is not None else None)

    def start(self, settings: Settings | None = None, repo: Path | None = None, trajectory: Path | None = None,
              on_event: EventCallback | None = None, patch: str = "") -> RunHandle:
        """Start a run on ``repo`` with ``settings``' task (continuing from ``patch`` when given); the
        trajectory goes to the data folder by default."""
        settings = settings or self.settings
        task = Task(repo or Path("."), settings.task.goal, settings.task.check, patch, settings.task.setup)
        return self.agent(settings).start(task, trajectory or new_trajectory_path(), on_event)

    def close(self) -> None:
        if "memory" in self.__dict__ and self.memory is not None:
            self.memory.close()

    def memory_summary(self, repo: Path) -> str:
        """What memory holds for ``repo``, in words."""
        if self.memory is None:
            return "memory: off"
        held = self.memory.repo_summary(str(repo))
        return (f"memory: {held['episodes']} earlier run(s) · {held['lessons']} lesson(s) · "
                f"{held['adapters']} archived adapter(s)")
