"""Where a run's steps go: the trajectory file and, when there is one, memory — each on disk at once."""

from __future__ import annotations

import contextlib
from typing import Any

from .protocols import MemoryLike, RecallLike
from .task import Task
from .trajectory import Step, Trajectory


class Records:
    """One run's trajectory and its episode in memory."""

    def __init__(self, trajectory: Trajectory, memory: MemoryLike | None, task: Task, model: str,
                 strategy: str) -> None:
        self.trajectory, self.memory, self.task = trajectory, memory, task
        self.model, self.strategy = model, strategy
        self.episode: int | None = None

    @property
    def steps(self) -> list[Step]:
        return self.trajectory.steps

    def __len__(self) -> int:
        return len(self.trajectory)

    @property
    def path(self) -> str | None:
        return str(self.trajectory.path) if self.trajectory.path else None

    def first_fingerprint(self) -> str | None:
        return self.steps[0].fingerprint if self.steps else None

    def append(self, step: Step) -> None:
        """Write the step to the trajectory file and to memory (each is on disk when this returns)."""
        self.trajectory.append(step)
        if self.memory is not None and self.episode is not None:
            action = step.action or {}
            text = f"{action.get('kind', '')} {action.get('path', '')}\n{action.get('text', '')}" if action else None
            self.memory.record_step(self.episode, step.index, text, step.fingerprint,
                                    step.check.n_failed if step.check else None,
                                    step.verdict["kind"] if step.verdict else None)

    def recall(self, fingerprint: str | None) -> RecallLike | None:
        """What memory knows of this repo and starting failure; starts the run's episode."""
        if self.memory is None:
            return None
        recall = self.memory.recall(str(self.task.repo), fingerprint, self.model)
        self.episode = self.memory.start_episode(str(self.task.repo), self.task.goal, self.task.check, self.model,
                                                 self.strategy, fingerprint, self.path)
        return recall

    def adapter(self, path: str | None, accepted: bool, metrics: dict[str, Any]) -> None:
        """Remember an update (its adapter's folder when accepted), keyed by repo and starting failure."""
        if self.memory is not None and self.episode is not None:
            self.memory.add_adapter(self.episode, str(self.task.repo), self.first_fingerprint(), self.model, path,
                                    accepted, metrics)

    def finish(self, outcome: dict[str, Any], reflections: list[str]) -> None:
        """How the episode ended; a verified fix also leaves a success (for replay) and a lesson."""
        if self.memory is None or self.episode is None:
            return
        self.memory.finish_episode(self.episode, outcome["status"], {
            k: v for k, v in outcome.items() if k not in ("patch", "rungs", "updates")})
        if outcome["fixed"] and outcome["status"] == "fixed":
            last = next(s for s in reversed(self.steps) if s.check is not None)
            self.memory.add_success(self.episode, str(self.task.repo), last.messages, last.output)
            if reflections:
                self.memory.add_lesson(self.episode, str(self.task.repo), self.first_fingerprint(), reflections[-1])

    def interrupted(self) -> None:
        """Mark an episode that ended without an outcome (an exception) as interrupted."""
        if self.memory is not None and self.episode is not None:
            with contextlib.suppress(Exception):
                self.memory.finish_episode(self.episode, "interrupted", {})

    def replay(self) -> list[tuple[list[dict[str, str]], str]]:
        """Past successes to replay in an update (none without memory)."""
        return self.memory.replay() if self.memory is not None else []
