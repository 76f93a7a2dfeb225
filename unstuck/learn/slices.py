"""Which steps an update learns from: the slice a stuck verdict points at."""

from __future__ import annotations

from dataclasses import replace

from ..trajectory import Failure, Step
from .examples import repeated_action, task_failures
from .truths import collect_truths


def stuck_slice(steps: list[Step], since_step: int) -> list[Step]:
    """The steps a verdict points at, for the learner — with, when none of their checks reveals an
    expected value (e.g. every attempt broke the module: a SyntaxError, an ImportError), the last
    earlier check that revealed one (else any fact), as context only. The checks of edits that broke
    the code reveal nothing about the task."""

    def reveals(failures: list[Failure], value: bool) -> bool:
        truths = collect_truths(failures)
        return any(t.expected for t in truths) if value else bool(truths)

    slice_ = [s for s in steps if s.index >= since_step and not s.rung]
    for value in (True, False):
        if reveals(task_failures(slice_), value):
            break
        earlier = [s for s in steps if s.index < since_step and s.check and not s.broke_the_code
                   and reveals(s.check.failures, value)]
        if earlier:
            slice_.insert(0, Step(earlier[-1].index, check=earlier[-1].check))
            break
    return slice_


def last_stuck_start(steps: list[Step]) -> int:
    """Where the last recorded stuck verdict's loop began (the first step when there is none)."""
    for step in reversed(steps):
        if step.verdict and "since_step" in step.verdict:
            return int(step.verdict["since_step"])
    return steps[0].index if steps else 0


def on_next_prompt(slice_: list[Step], messages: list[dict[str, str]]) -> list[Step]:
    """The slice with its repeated action restated on ``messages``, the prompt the agent sends next.

    The agent's next prompt differs from the last one (one more edit counted, a note), and what the
    update must change is the reply to that prompt: the relabelled correction, the failed action's
    unlikelihood and the evidence are all read on it (greedy decoding: the same prompt, the same reply)."""
    repeated = repeated_action(slice_)
    if repeated is None and messages and slice_:  # no action (words only): the prompt, not yet answered
        return [*slice_, Step(max(s.index for s in slice_) + 1, list(messages))]
    if repeated is None or not messages or repeated.messages == messages:
        return slice_
    return [*slice_, replace(repeated, index=max(s.index for s in slice_) + 1, messages=list(messages))]
