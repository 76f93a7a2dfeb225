"""What a run reports while it works: one small dataclass per kind of event.

Every surface (the CLI's live view, the bench, the TUI, the CI bot, the LSP server) reads the
same stream. Each event has a ``kind`` and ``to_dict()``; ``event_from_dict`` turns the JSON back
into the same event. Phases come in pairs — ``…Started`` then ``…Finished`` — and a finished
event is sent also when the phase fails or is cancelled.

``step`` is the index of the trajectory step the event belongs to.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .trajectory import CheckResult

EVENT_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True)
class Event:
    """The base of every event: when it happened."""

    kind: ClassVar[str] = "event"
    at: float = field(default_factory=time.time, kw_only=True)
    """Seconds since the epoch."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        EVENT_TYPES[cls.kind] = cls

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


def event_from_dict(data: dict[str, Any]) -> Event:
    """The event ``to_dict()`` described (unknown keys are an error: the stream is ours)."""
    data = dict(data)
    kind = data.pop("kind")
    try:
        cls = EVENT_TYPES[kind]
    except KeyError:
        raise ValueError(f"unknown event kind {kind!r}") from None
    known = {f.name for f in fields(cls)}
    if set(data) - known:
        raise ValueError(f"unknown field(s) for {kind}: {', '.join(sorted(set(data) - known))}")
    return cls(**data)


# -- the run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunStarted(Event):
    kind: ClassVar[str] = "run-started"
    repo: str
    goal: str
    check: str
    model: str
    strategy: str
    max_steps: int
    trajectory: str | None = None


@dataclass(frozen=True)
class RunFinished(Event):
    """The last event of every run, whatever happened; ``outcome`` is the JSON report."""

    kind: ClassVar[str] = "run-finished"
    status: str
    """``fixed``, ``already-passing``, ``not-fixed``, ``gave-up``, ``budget``, ``cancelled`` or ``error``."""
    fixed: bool
    verified: bool
    reason: str
    outcome: dict[str, Any] | None = None


@dataclass(frozen=True)
class PhaseStarted(Event):
    """A coarse phase: ``sandbox`` (starting it), ``verify`` (the patch in a fresh sandbox)."""

    kind: ClassVar[str] = "phase-started"
    phase: str
    detail: str = ""


@dataclass(frozen=True)
class PhaseFinished(Event):
    kind: ClassVar[str] = "phase-finished"
    phase: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0


# -- checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckStarted(Event):
    kind: ClassVar[str] = "check-started"
    step: int
    command: str


@dataclass(frozen=True)
class CheckFinished(Event):
    kind: ClassVar[str] = "check-finished"
    step: int
    passed: bool
    n_passed: int = 0
    n_failed: int = 0
    failing: list[str] = field(default_factory=list)
    """Failing test ids (at most 20)."""
    first_failure: str = ""
    """The first failure's first line, e.g. ``AssertionError: assert 'Hello, Bob!' == 'Ahoy, Bob!'``."""
    fingerprint: str | None = None
    seconds: float = 0.0
    timed_out: bool = False
    cancelled: bool = False

    @classmethod
    def of(cls, step: int, check: CheckResult | None, seconds: float, cancelled: bool = False) -> CheckFinished:
        """The event for a check's result (None: it did not finish)."""
        if check is None:
            return cls(step, False, seconds=round(seconds, 3), cancelled=cancelled)
        first = check.failures[0] if check.failures else None
        first_line = ((first.message or first.exc_type).splitlines() or [""])[0][:200] if first else ""
        return cls(step, check.passed, check.n_passed, check.n_failed, [f.test_id for f in check.failures[:20]],
                   first_line, check.fingerprint, round(seconds, 3), check.timed_out)


# -- the model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerationStarted(Event):
    kind: ClassVar[str] = "generation-started"
    step: int
    purpose: str = "action"
    """``action`` (a turn), ``reflection``, or ``sample`` (an attempt of the sample strategy)."""


@dataclass(frozen=True)
class TextChunk(Event):
    """A piece of the reply as the model writes it."""

    kind: ClassVar[str] = "text"
    step: int
    text: str


@dataclass(frozen=True)
class GenerationFinished(Event):
    kind: ClassVar[str] = "generation-finished"
    step: int
    purpose: str = "action"
    text: str = ""
    tokens: int = 0
    seconds: float = 0.0
    cancelled: bool = False


@dataclass(frozen=True)
class FormatProblem(Event):
    """The reply held no valid action; the hint is what the model is told."""

    kind: ClassVar[str] = "format-problem"
    step: int
    hint: str


# -- acting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionTaken(Event):
    kind: ClassVar[str] = "action"
    step: int
    action: str
    """``run``, ``write`` or ``finish`` (an ``EDIT`` arrives as the ``write`` it results in)."""
    summary: str
    path: str = ""
    text: str = ""
    """The command, or the file's new text."""


@dataclass(frozen=True)
class EditUndone(Event):
    """The edit just checked broke the code (``failure``), so the file is back as it was."""

    kind: ClassVar[str] = "edit-undone"
    step: int
    path: str
    failure: str


@dataclass(frozen=True)
class EditSkipped(Event):
    """The edit changed only comments or layout, so the file was left as it was and not checked again."""

    kind: ClassVar[str] = "edit-skipped"
    step: int
    path: str


@dataclass(frozen=True)
class Observation(Event):
    """What a ``run`` action printed."""

    kind: ClassVar[str] = "observation"
    step: int
    exit_code: int
    output: str
    timed_out: bool = False


# -- being stuck and getting unstuck ------------------------------------------------------------


@dataclass(frozen=True)
class StuckVerdict(Event):
    kind: ClassVar[str] = "stuck"
    step: int
    verdict: str
    """The loop pattern, e.g. ``repeated-action-error`` or ``fingerprint-repeat``."""
    since_step: int
    evidence: str


@dataclass(frozen=True)
class RungTaken(Event):
    """The ladder's answer to a verdict: ``nudge``, ``reflect``, ``learn``, ``give-up``, ``route-to-base``."""

    kind: ClassVar[str] = "rung"
    step: int
    rung: str
    verdict: str
    detail: str = ""


@dataclass(frozen=True)
class LearningStarted(Event):
    kind: ClassVar[str] = "learning-started"
    step: int
    source: str
    """``stuck`` (a verdict's slice) or ``teach`` (the manager's statement)."""
    total_steps: int
    truths: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LearningStep(Event):
    kind: ClassVar[str] = "learning-step"
    step: int
    update_step: int
    total_steps: int
    loss: float
    kl: float | None = None


@dataclass(frozen=True)
class LearningFinished(Event):
    kind: ClassVar[str] = "learning-finished"
    step: int
    source: str
    accepted: bool
    reason: str
    seconds: float = 0.0
    steps: int = 0
    kl: float | None = None
    loss_before: float | None = None
    loss_after: float | None = None
    adapter_path: str | None = None
    cancelled: bool = False
    report: dict[str, Any] = field(default_factory=dict)


# -- the manager --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interjected(Event):
    """The manager's words reached the run; they are in every prompt from now on."""

    kind: ClassVar[str] = "interjected"
    step: int
    text: str


@dataclass(frozen=True)
class Taught(Event):
    """The manager stated a fact; a guarded update with it as the truth follows."""

    kind: ClassVar[str] = "taught"
    step: int
    text: str


@dataclass(frozen=True)
class Paused(Event):
    kind: ClassVar[str] = "paused"
    step: int


@dataclass(frozen=True)
class Resumed(Event):
    kind: ClassVar[str] = "resumed"
    step: int


PAIRS: dict[str, str] = {
    RunStarted.kind: RunFinished.kind,
    PhaseStarted.kind: PhaseFinished.kind,
    CheckStarted.kind: CheckFinished.kind,
    GenerationStarted.kind: GenerationFinished.kind,
    LearningStarted.kind: LearningFinished.kind,
    Paused.kind: Resumed.kind,
}
"""Each phase's start and the event that ends it."""
