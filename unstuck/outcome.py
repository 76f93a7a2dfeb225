"""How a run ended: the JSON report every surface writes or shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Outcome:
    """How a run ended; ``to_dict`` is the JSON report."""

    status: str
    """``fixed``, ``already-passing``, ``not-fixed``, ``gave-up``, ``budget`` or ``cancelled``."""
    fixed: bool
    verified: bool
    steps: int
    """Trajectory steps: the first check, model turns, format retries, ladder rungs, the manager's words."""
    seconds: float
    tokens: int
    patch: str
    start_failures: int | None
    end_failures: int | None
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    rungs: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    recalled: dict[str, Any] = field(default_factory=dict)
    trajectory: str | None = None
    episode: int | None = None
    reason: str = ""
    turns: int = 0
    """Model turns used (what ``max_steps`` counts): a fix within a smaller step budget is a fix there too."""
    manager: list[dict[str, Any]] = field(default_factory=list)
    """What the manager said: ``{"kind": "interject" | "teach", "text", "at_step"}``."""
    best_patch: str = ""
    """The changes at the check with the fewest failing tests (the partial patch when not fixed)."""
    best_failures: int | None = None
    dropped_test_edits: list[str] = field(default_factory=list)
    """Test files the agent changed (with a command) that were left out of the patch."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
