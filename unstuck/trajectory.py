"""What happened, step by step: check results, steps, and the JSONL trajectory on disk."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .fileio import append_line


@dataclass
class Failure:
    """One failing test (or the whole check when it is not pytest)."""

    test_id: str
    exc_type: str = ""
    message: str = ""
    frame: str = ""
    """The top traceback frame inside the repo, ``path:line``."""
    text: str = ""
    """The failure's full text (traceback, assertion diff), capped."""
    facts: list[dict[str, Any]] = field(default_factory=list)
    """What the test revealed, read from the real objects by unstuck's pytest plugin (see
    ``sandbox/unstuck_facts.py``), or the expected/actual lines of a check that is not pytest."""


@dataclass
class CheckResult:
    """The outcome of running the task's check once."""

    passed: bool
    exit_code: int
    failures: list[Failure] = field(default_factory=list)
    n_passed: int = 0
    output: str = ""
    fingerprint: str | None = None
    timed_out: bool = False

    @property
    def n_failed(self) -> int:
        return len(self.failures)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        data = dict(data)
        data["failures"] = [Failure(**f) for f in data.get("failures", [])]
        data.pop("n_failed", None)
        return cls(**{k: v for k, v in data.items() if k in {f.name for f in fields(cls)}})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "n_failed": self.n_failed}


@dataclass
class Step:
    """One turn of the agent: what the model saw and said, and what the sandbox answered."""

    index: int
    messages: list[dict[str, str]] = field(default_factory=list)
    output: str = ""
    action: dict[str, Any] | None = None
    observation: str = ""
    check: CheckResult | None = None
    verdict: dict[str, Any] | None = None
    update: dict[str, Any] | None = None
    rung: str | None = None
    error: str | None = None
    seconds: float = 0.0
    exit_code: int | None = None
    """The exit code of a ``run`` action (None for other actions)."""
    tokens: int = 0
    """Tokens the model generated in this step."""
    manager: str | None = None
    """What the manager said at this step (``rung`` is ``interject`` or ``teach``)."""
    undone: str | None = None
    """Why this step's edit was undone (the failure that says it broke the code); the file is as before."""
    broke: str | None = None
    """The failure that says this step's edit broke the code (a syntax or import error, an undefined name
    the run's first check did not show), undone or not: it tells about the edit, not about the task."""

    @property
    def broke_the_code(self) -> bool:
        return bool(self.broke or self.undone)

    @property
    def fingerprint(self) -> str | None:
        return self.check.fingerprint if self.check else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["check"] = self.check.to_dict() if self.check else None
        data["fingerprint"] = self.fingerprint
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        data = dict(data)
        data.pop("fingerprint", None)
        check = data.get("check")
        data["check"] = CheckResult.from_dict(check) if check else None
        return cls(**{k: v for k, v in data.items() if k in {f.name for f in fields(cls)}})


class Trajectory:
    """The steps of one run, appended to a JSONL file and flushed to disk after each step."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.steps: list[Step] = []
        self.path = Path(path) if path else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("")

    def append(self, step: Step) -> None:
        self.steps.append(step)
        if self.path:
            append_line(self.path, json.dumps(step.to_dict(), ensure_ascii=False))

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self):
        return iter(self.steps)

    @classmethod
    def load(cls, path: str | Path) -> Trajectory:
        """Read a trajectory file; a line cut short by a crash is skipped, not fatal."""
        trajectory = cls()
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                trajectory.steps.append(Step.from_dict(json.loads(line)))
            except (json.JSONDecodeError, TypeError) as error:
                if number == len(lines):
                    break  # the last line was being written when the run stopped
                raise ValueError(f"{path}:{number}: not a trajectory step ({error})") from error
        return trajectory
