"""What the agent needs from its parts. A backend is any object with these methods (as the sandbox's
``Sandbox`` protocol): ``Policy``, ``Learner`` and ``memory.Memory`` are the ones unstuck ships."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from .learn.examples import Example, ExampleSet
from .learn.guard import FormatProbe
from .learn.learner import LearnerSettings, UpdateReport
from .trajectory import Step

Messages = Sequence[dict[str, str]]


class LoadedModelInfo(Protocol):
    name: str


class PolicyLike(Protocol):
    """Writes replies, counts tokens, and holds one adapter slot."""

    loaded: LoadedModelInfo
    adapter_live: bool

    def generate(self, messages: Messages, *, max_new_tokens: int = 256, temperature: float = 0.0,
                 seed: int | None = None, stop: Sequence[str] = (), on_text: Callable[[str], None] | None = None,
                 cancel: threading.Event | None = None) -> str: ...

    def encode(self, text: str) -> list[int]: ...

    def base(self) -> AbstractContextManager[None]:
        """Run the block with the adapter disabled (the base model)."""
        ...

    def claim(self, who: str, wait: float = 0.0) -> None: ...

    def release(self) -> None: ...

    def load_adapter(self, folder: str | Path) -> None: ...

    def reset_adapter(self) -> None: ...

    def save_adapter(self, folder: str | Path) -> Path: ...


class LearnerLike(Protocol):
    """Runs guarded updates of the policy's adapter slot."""

    settings: LearnerSettings
    format_probe: FormatProbe | None

    def update(self, steps: list[Step], replay: list[Example] | None = None,
               on_step: Callable[[int, float, float | None], None] | None = None,
               examples: ExampleSet | None = None, cancel: threading.Event | None = None,
               source: str = "stuck") -> UpdateReport: ...


class RecallLike(Protocol):
    lessons: list[str]
    adapter: dict[str, Any] | None
    episodes: int
    failed_actions: list[str]


class MemoryLike(Protocol):
    """Episodes, steps, lessons, adapters and successes across runs."""

    def recall(self, repo: str, fingerprint: str | None, model: str) -> RecallLike: ...

    def start_episode(self, repo: str, goal: str, check: str, model: str, strategy: str,
                      fingerprint: str | None, trajectory: str | None = None) -> int: ...

    def record_step(self, episode: int, index: int, action: str | None, fingerprint: str | None,
                    n_failed: int | None, verdict: str | None) -> None: ...

    def finish_episode(self, episode: int, status: str, summary: dict[str, Any]) -> None: ...

    def add_lesson(self, episode: int, repo: str, fingerprint: str | None, text: str) -> None: ...

    def add_adapter(self, episode: int, repo: str, fingerprint: str | None, model: str, path: str | None,
                    accepted: bool, metrics: dict[str, Any]) -> int: ...

    def add_success(self, episode: int, repo: str, messages: list[dict[str, str]], target: str) -> None: ...

    def replay(self, limit: int = 8) -> list[tuple[list[dict[str, str]], str]]: ...
