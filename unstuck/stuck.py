"""Is the agent stuck? Loop patterns over a trajectory, on normalised observations.

OpenHands' four patterns (repeated action/observation, repeated action with errors, monologue,
A-B-A-B ping-pong), plus two that catch the loop users complain about most: the same failure
fingerprint coming back after *different* edits, and no progress in the number of failing tests.
Thoughts (the prose around an action) are never compared; polling a long job is not a loop.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from .actions import Action
from .checks import normalise
from .trajectory import Step

_POLLING = re.compile(r"^\s*(sleep|wait|tail|watch|ps|jobs|pgrep|uptime)\b|^\s*timeout\s+\S+\s+(tail|wait)\b")
_PIDS = re.compile(r"\b(pid|PID)[ =:]*\d+")


@dataclass(frozen=True)
class Verdict:
    """Why the agent is stuck, and since when."""

    kind: str
    """``repeated-action-observation``, ``repeated-action-error``, ``monologue``, ``ping-pong``,
    ``fingerprint-repeat`` or ``no-progress``."""
    since_step: int
    """The step where the loop began: the learner trains on the slice from here."""
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StuckSettings:
    """Thresholds of each pattern."""

    repeated_pairs: int = 4
    """Identical action + observation this many times in a row."""
    repeated_errors: int = 3
    """Identical action ending in an error this many times in a row."""
    repeated_errors_greedy: int = 2
    """The same, when decoding is greedy: the same prompt gives the same reply, so a second identical
    failing action already proves the loop."""
    monologue: int = 3
    """Identical replies without an action this many times in a row."""
    ping_pong: int = 6
    """A-B-A-B… over this many steps."""
    fingerprint_edits: int = 2
    """The same failure fingerprint after this many edits in a row, not all the same edit."""
    no_progress_checks: int = 4
    """This many check runs without fewer failing tests than before them."""


def action_key(step: Step) -> str | None:
    """What the step did, for comparison; None when it did nothing (no parsable action)."""
    return Action.from_dict(step.action).key() if step.action else None


def observation_key(step: Step) -> str:
    return _PIDS.sub("pid ?", normalise(step.observation))


def is_polling(step: Step) -> bool:
    return bool(step.action and step.action.get("kind") == "run" and _POLLING.search(step.action.get("text", "")))


def ended_in_error(step: Step) -> bool:
    return bool(step.error) or (step.exit_code not in (None, 0)) or (step.check is not None and not step.check.passed)


def is_edit(step: Step) -> bool:
    return bool(step.action and step.action.get("kind") in ("write", "edit"))


class StuckDetector:
    """Inspects a trajectory after every step; a loop is reported once, then watched afresh."""

    def __init__(self, settings: StuckSettings | None = None, greedy: bool = False) -> None:
        settings = settings or StuckSettings()
        self.settings = replace(settings, repeated_errors=settings.repeated_errors_greedy) if greedy else settings
        self.after = -1
        """Steps up to this index belong to a loop already reported."""

    def inspect(self, steps: list[Step]) -> Verdict | None:
        window = [s for s in steps if s.index > self.after]
        verdict = detect(window, self.settings, before=[s for s in steps if s.index <= self.after])
        if verdict is not None and steps:
            self.after = steps[-1].index
        return verdict


def detect(window: list[Step], settings: StuckSettings, before: list[Step] = ()) -> Verdict | None:
    """The first loop pattern found at the end of ``window`` (``before``: earlier steps, for baselines)."""
    acting = [s for s in window if not is_polling(s)]
    for check in (_repeated_pairs, _repeated_errors, _monologue, _ping_pong):
        verdict = check(acting, settings)
        if verdict:
            return verdict
    return _fingerprint_repeat(window, settings) or _no_progress(window, list(before), settings)


def _tail_same(steps: list[Step], n: int, key) -> list[Step] | None:
    if len(steps) < n:
        return None
    tail = steps[-n:]
    keys = [key(s) for s in tail]
    return tail if keys[0] is not None and all(k == keys[0] for k in keys) else None


def _repeated_pairs(steps: list[Step], settings: StuckSettings) -> Verdict | None:
    tail = _tail_same(steps, settings.repeated_pairs,
                      lambda s: None if action_key(s) is None else (action_key(s), observation_key(s)))
    if tail:
        return Verdict("repeated-action-observation", tail[0].index,
                       f"the same action and observation {len(tail)} times in a row: {_describe(tail[-1])}")
    return None


def _repeated_errors(steps: list[Step], settings: StuckSettings) -> Verdict | None:
    tail = _tail_same(steps, settings.repeated_errors, action_key)
    if tail and all(ended_in_error(s) for s in tail):
        return Verdict("repeated-action-error", tail[0].index,
                       f"the same action failed {len(tail)} times in a row: {_describe(tail[-1])}")
    return None


def _monologue(steps: list[Step], settings: StuckSettings) -> Verdict | None:
    tail = _tail_same(steps, settings.monologue,
                      lambda s: normalise(s.output) if s.action is None and s.output.strip() else None)
    if tail:
        return Verdict("monologue", tail[0].index,
                       f"the same reply without an action {len(tail)} times in a row: {tail[-1].output.strip()[:80]!r}")
    return None


def _ping_pong(steps: list[Step], settings: StuckSettings) -> Verdict | None:
    n = settings.ping_pong
    if len(steps) < n:
        return None
    keys = [(action_key(s), observation_key(s)) for s in steps[-n:]]
    a, b = keys[0], keys[1]
    if a[0] is None or b[0] is None or a == b:
        return None
    if all(k == (a if i % 2 == 0 else b) for i, k in enumerate(keys)):
        return Verdict("ping-pong", steps[-n].index,
                       f"alternating between two actions for {n} steps: "
                       f"{_describe(steps[-n])} / {_describe(steps[-n + 1])}")
    return None


def _fingerprint_repeat(window: list[Step], settings: StuckSettings) -> Verdict | None:
    edits = [s for s in window if is_edit(s) and s.check is not None]
    n = settings.fingerprint_edits
    if len(edits) < n:
        return None
    tail = edits[-n:]
    fingerprints = {s.fingerprint for s in tail}
    if len(fingerprints) != 1 or None in fingerprints:
        return None
    if len({action_key(s) for s in tail}) < 2:
        return None  # the same edit again is the repeated-action pattern, not this one
    failure = tail[-1].check.failures[0] if tail[-1].check.failures else None
    what = f"{failure.test_id}: {(failure.message or failure.exc_type).splitlines()[0][:120]}" if failure else ""
    return Verdict("fingerprint-repeat", tail[0].index,
                   f"the same failure (fingerprint {tail[-1].fingerprint}) after {n} different edits — {what}")


def _no_progress(window: list[Step], before: list[Step], settings: StuckSettings) -> Verdict | None:
    checks = [s for s in window if s.check is not None]
    k = settings.no_progress_checks
    if len(checks) < k:
        return None
    tail = checks[-k:]
    earlier = [s for s in [*before, *window] if s.check is not None and s.index < tail[0].index]
    if not earlier or any(s.check.passed for s in tail):
        return None
    reference = earlier[-1].check.n_failed
    best = min(s.check.n_failed for s in tail)
    if best >= reference:
        return Verdict("no-progress", tail[0].index,
                       f"{k} checks without fewer failing tests than {reference} (best {best})")
    return None


def _describe(step: Step) -> str:
    if not step.action:
        return "(no action)"
    kind = step.action.get("kind", "?")
    detail = step.action.get("path") or step.action.get("text", "").strip().splitlines()[0:1]
    return f"{kind} {detail[0] if isinstance(detail, list) and detail else detail}".strip()[:100]
