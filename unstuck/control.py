"""What a surface can do to a run in flight, from any thread: cancel, pause, interject, teach.

The run reads it at its step boundaries (pause, messages) and inside every slow operation
(cancel): the model's generation, the learner's steps and sandbox commands each look at the
same ``threading.Event``.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass


class Cancelled(Exception):
    """The run was cancelled; raised where the run notices it, caught by the agent."""

    def __init__(self, where: str = "") -> None:
        super().__init__(f"cancelled{f' while {where}' if where else ''}")


@dataclass(frozen=True)
class ManagerMessage:
    """Something the manager said: ``interject`` (into the prompt) or ``teach`` (a weight update)."""

    kind: str
    text: str


class Control:
    """Thread-safe commands for one run."""

    def __init__(self) -> None:
        self.cancel_event = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._inbox: deque[ManagerMessage] = deque()
        self._lock = threading.Lock()

    # -- the surface's side ----------------------------------------------------------------------

    def cancel(self) -> None:
        self.cancel_event.set()
        self._running.set()  # a paused run wakes up to notice

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def say(self, kind: str, text: str) -> None:
        if kind not in ("interject", "teach"):
            raise ValueError(f"unknown message kind {kind!r}")
        text = text.strip()
        if not text:
            raise ValueError(f"nothing to {kind}: the text is empty")
        with self._lock:
            self._inbox.append(ManagerMessage(kind, text))

    # -- the run's side --------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    @property
    def pause_requested(self) -> bool:
        return not self._running.is_set()

    def raise_if_cancelled(self, where: str = "") -> None:
        if self.cancel_event.is_set():
            raise Cancelled(where)

    def wait_while_paused(self) -> None:
        """Block until resumed or cancelled (then raise ``Cancelled``)."""
        self._running.wait()
        self.raise_if_cancelled("paused")

    def take_messages(self) -> list[ManagerMessage]:
        with self._lock:
            taken = list(self._inbox)
            self._inbox.clear()
        return taken
