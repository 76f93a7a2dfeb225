"""Did the accepted adapters make the model worse elsewhere? Checked after a bench run.

For each adapter the run accepted: KL(adapter ‖ base) on the guard's canary prompts, and — on a
held-out subset of the suite (tasks other than the adapter's own, with a reference patch) — the
mean per-token log-probability of the reference fix as a whole-file action (through its closing
fence), given the first prompt the agent saw on that task, with the adapter against the base model.
A negative change means the adapter made correct fixes elsewhere less likely.

The action ends at its closing fence: what follows it (a newline, or the end of the reply) is not
part of the fix. Updates that taught the model to stop right after its answer made that one token
3–5 nats less likely — on one adapter of the fresh held-out run, the whole of door_sign's −0.050
nat/token and 3.7 of croissant's 4.5 nats (docs/results.md). The earlier reading, with the newline
after the fence, is still reported (``…_with_newline``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

from ..learn.guard import canary_kl
from ..trajectory import Trajectory
from .suites import BenchTask, reference_files

Messages = list[dict[str, str]]
Probe = tuple[Messages, str]
"""(a task's first prompt, its reference fix as an action)"""
Reading = tuple[float, float]
"""(mean log-prob through the closing fence, with the newline after it)"""


def first_prompt(trajectory: Path) -> Messages | None:
    """The messages of the first model turn of a recorded run."""
    try:
        steps = Trajectory.load(trajectory).steps if trajectory.is_file() else []
    except ValueError:
        return None
    return next((step.messages for step in steps if step.messages), None)


def reference_action(task: BenchTask) -> str | None:
    """The task's reference fix as a whole-file action, through its closing fence (None: no reference)."""
    fixed = reference_files(task)
    if not fixed:
        return None
    text = next(iter(fixed.values()))
    return f"```python\n{text}{'' if text.endswith(chr(10)) else chr(10)}```"


def heldout_probes(tasks: list[BenchTask], out: Path) -> dict[str, Probe]:
    """Per task with a reference and a recorded first prompt: (prompt, reference fix as an action)."""
    probes = {}
    for task in tasks:
        action = reference_action(task)
        prompt = next((p for p in (first_prompt(t) for t in sorted((out / "trajectories").glob(
            f"*/{task.name}-seed*.jsonl"))) if p), None)
        if action and prompt:
            probes[task.name] = (prompt, action)
    return probes


def base_readings(policy: Any, probes: dict[str, Probe]) -> dict[str, Reading]:
    """Every probe's reading under the base model (the adapter is reset)."""
    policy.reset_adapter()
    return {name: readings(policy, *probe) for name, probe in probes.items()}


def heldout_change(policy: Any, probes: dict[str, Probe], base: dict[str, Reading], own: str,
                   heldout: int = 3) -> tuple[dict[str, float], dict[str, float]]:
    """Under the live adapter, the change from ``base`` of the first ``heldout`` probes but ``own``'s:
    (through the closing fence, with the newline after it), by task."""
    others = [name for name in probes if name != own][:heldout]
    now = {name: readings(policy, *probes[name]) for name in others}
    return ({name: now[name][0] - base[name][0] for name in others},
            {name: now[name][1] - base[name][1] for name in others})


def forgetting_check(policy: Any, rows: list[dict[str, Any]], tasks: list[BenchTask], out: Path,
                     heldout: int = 3, say: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """Canary KL and held-out change for every accepted adapter in ``rows``; the base is left active."""
    adapters = [(row, path) for row in rows for path in row.get("adapters", [])]
    if not adapters:
        return {"adapters": 0, "checks": []}
    probes = heldout_probes(tasks, out)
    base = base_readings(policy, probes)
    checks = []
    try:
        for index, (row, path) in enumerate(adapters, 1):
            say(f"forgetting check {index}/{len(adapters)}: {path}")
            policy.load_adapter(out / path)
            deltas, with_newline = heldout_change(policy, probes, base, row["task"], heldout)
            checks.append({"task": row["task"], "strategy": row["strategy"], "seed": row["seed"], "adapter": path,
                           "canary_kl": canary_kl(policy), "heldout_delta": deltas,
                           "mean_heldout_delta": mean(deltas.values()) if deltas else None,
                           "mean_heldout_delta_with_newline": mean(with_newline.values()) if deltas else None})
            policy.reset_adapter()
    finally:
        policy.reset_adapter()
    deltas = [c["mean_heldout_delta"] for c in checks if c["mean_heldout_delta"] is not None]
    with_newline = [c["mean_heldout_delta_with_newline"] for c in checks if c["mean_heldout_delta"] is not None]
    return {
        "adapters": len(checks), "checks": checks,
        "mean_canary_kl": mean(c["canary_kl"] for c in checks), "max_canary_kl": max(c["canary_kl"] for c in checks),
        "mean_heldout_delta": mean(deltas) if deltas else None,
        "worst_heldout_delta": min(deltas) if deltas else None,
        "mean_heldout_delta_with_newline": mean(with_newline) if with_newline else None,
        "heldout_base_logprob": {name: reading[0] for name, reading in base.items()},
    }


def readings(policy: Any, messages: Messages, action: str) -> Reading:
    """Mean per-token log-prob of ``action`` through its closing fence, and with the newline after it."""
    return tuple(policy.logprobs(messages, [action, action + "\n"]))  # type: ignore[return-value]


def forgetting_line(result: dict[str, Any]) -> str:
    """One sentence for the terminal and the README."""
    if not result["adapters"]:
        return "forgetting check: no adapter was accepted in this run, nothing to check"
    held = result["mean_heldout_delta"]
    worst = result["worst_heldout_delta"]
    if held is None:
        held_text = "no held-out task with a reference and a recorded prompt"
    else:
        newline = result.get("mean_heldout_delta_with_newline")
        with_newline = f"; {newline:+.3f} with the newline after the closing fence" if newline is not None else ""
        held_text = f"held-out reference fixes {held:+.3f} nat/token on average (worst {worst:+.3f}{with_newline})"
    return (f"forgetting check over {result['adapters']} accepted adapter(s): canary KL to base "
            f"mean {result['mean_canary_kl']:.3f}, max {result['max_canary_kl']:.3f}; {held_text}")
