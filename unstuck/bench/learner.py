"""``python -m unstuck.bench.learner``: how long an update takes from request to live adapter, the
current recipe against the previous one, on the same stuck slices, in the same run.

Each slice is what an agent stuck on a suite task hands the learner (the task's first check, and the
file rewritten unchanged three times in the agent's own prompt). ``current`` is the default
``LearnerSettings`` (stop once the evidence moved; an update after which the agent's last prompt
still gives the failed action trains 5 more steps at a time until it does not, and is too weak if it
still does; a malformed adapter's change scaled back, between too weak and malformed, up to twice);
``one-judgement`` refuses a too-weak update at once, as before; ``until-fix`` also trains 10 more
steps where an accepted update's action does not write the correction; ``halving`` accepts a too-weak
update and only halves a malformed one; ``no-shrink`` neither; ``whole-negative`` unlearns the whole
failed action where it cannot be relabelled (as before; now only the body of the function under test);
``whole-prompt`` trains on (and reads the evidence in) the last 1,024 tokens of the agent's prompt, not 128
(a trial, not adopted); ``fixed-30`` the
recipe before all of them (always 30 steps, KL every 10). Each row also says whether the agent's
last prompt gives another action once the update is done (``changes_action``; measured after the
timing) and whether the base model gave the failed action there (``base_repeats``: true for a
recorded slice, greedy decoding), and — for an accepted update — how the log-prob of three other
slices' reference fixes moved (``heldout_delta``, nat/token: the agent bench's forgetting check on
the slices' own prompts).
``--from-bench DIR`` takes instead the slices real agent runs handed their first update (the
``learn`` runs of a bench folder: the model's own repeated actions).
``--model`` takes any model; ``--random-init`` times a config without weights
(``qwen2.5-coder-1.5b`` is bundled, for a GPU without hub access; ``--tokenizer`` and ``--sandbox local``
for a machine without the embedded model or Docker).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from .forgetting import Probe, Reading, base_readings, heldout_change, reference_action

if TYPE_CHECKING:
    from ..learn.guard import FormatProbe
    from ..policy import Policy

RECIPES = {"current": {}, "until-fix": {"off_target_steps": 10}, "halving": {"require_change": False},
           "one-judgement": {"weak_steps": 0},
           "no-shrink": {"shrink_tries": 0, "require_change": False},
           "whole-negative": {"localise_failed_action": False},
           "whole-prompt": {"context_tokens": 1024},
           "fixed-30": {"evidence_every": 0, "kl_every": 10, "steps": 30, "shrink_tries": 0, "require_change": False}}


def _policy(model: str, random_init: bool, tokenizer: str | None):
    from ..models import load_model
    from ..policy import Policy
    from .random_models import random_policy

    return random_policy(model, tokenizer) if random_init else Policy(load_model(model))


def _action_moved(policy: Policy, probe: FormatProbe | None) -> dict[str, bool | None]:
    """Does the agent's last prompt give another action now (and did it under the base model)?"""
    from ..learn.guard import read_probe

    if probe is None or probe.unchanged is None:
        return {"changes_action": None, "base_repeats": None}
    changes = not read_probe(policy, probe).unchanged
    with policy.base():
        base_repeats = read_probe(policy, probe).unchanged
    return {"changes_action": changes, "base_repeats": base_repeats}


def _heldout_delta(policy: Policy, probes: dict[str, Probe], base: dict[str, Reading], own: str) -> float | None:
    """Mean change of the other slices' reference fixes' log-prob under the live adapter (forgetting)."""
    deltas, _ = heldout_change(policy, probes, base, own)
    return statistics.mean(deltas.values()) if deltas else None


def _forgetting_text(deltas: list[float]) -> str:
    if not deltas:
        return ""
    return (f", other tasks' reference fixes {statistics.mean(deltas):+.3f} nat/token "
            f"(worst {min(deltas):+.3f}) under the {len(deltas)} accepted")


def main(argv: list[str] | None = None) -> int:
    from ..agent import AgentSettings
    from ..config import SandboxSettings
    from ..learn import Learner, LearnerSettings, build_examples
    from ..learn.probe import recorded_probe
    from ..repomap import read_repo
    from ..runtime import sandbox_factory
    from .slices import recorded_slices, start_file, stuck_slice_of
    from .suites import load_suite

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--random-init", action="store_true", help="time a random-initialised config (GPU sizing)")
    parser.add_argument("--tokenizer", help="with --random-init: a tokenizer folder or hub id (default: embedded)")
    parser.add_argument("--sandbox", default="docker", choices=("docker", "local"),
                        help="where the slices' first checks run (local: a copy, for a machine without Docker)")
    parser.add_argument("--suite", default="knowledge-gap-dev")
    parser.add_argument("--tasks", type=int, default=6, help="the first K tasks (or recorded runs)")
    parser.add_argument("--recipes", default=",".join(RECIPES), help="comma-separated, of: " + ", ".join(RECIPES))
    parser.add_argument("--from-bench", type=Path, help="a bench folder: its learn runs' first stuck slices")
    parser.add_argument("--only", help="with --from-bench: only these tasks' slices (comma-separated; the forgetting "
                                       "reading still uses the first recorded ones)")
    parser.add_argument("--out", type=Path, help="write the rows and the medians here (JSON)")
    args = parser.parse_args(argv)
    recipes = {name: RECIPES[name] for name in args.recipes.split(",") if name in RECIPES}
    if not recipes:
        parser.error(f"--recipes: none of {args.recipes!r} is one of {', '.join(RECIPES)}")
    console = Console()
    only = set(args.only.split(",")) if args.only else set()

    with tempfile.TemporaryDirectory() as staging:
        if args.from_bench:
            recorded = recorded_slices(args.from_bench)
            slices = [s for s in recorded if s[0] in only] if only else recorded[:args.tasks]
            probed = slices + [s for s in recorded[:4] if s not in slices]  # 3 other fixes at least
            suite = json.loads((args.from_bench / "bench.json").read_text(encoding="utf-8"))["suite"]
            names = {name for name, _, _ in probed}
            references = {t.name: reference_action(t) for t in load_suite(suite, Path(staging)) if t.name in names}
        else:
            tasks = load_suite(args.suite, Path(staging), args.tasks)
            references = {t.name: reference_action(t) for t in tasks}
            sandboxes = sandbox_factory(SandboxSettings(kind=args.sandbox), say=lambda _m: None)
            slices = []
            for task in tasks:
                steps = stuck_slice_of(task, sandboxes)
                slices.append((task.name, steps, start_file(read_repo(task.repo), steps[0].check, task.check)))
            probed = slices
    probes: dict[str, Probe] = {}  # forgetting: each slice's first prompt and its task's reference fix
    for name, steps, _ in probed:
        prompt = next((s.messages for s in steps if s.messages), None)
        if prompt and references.get(name):
            probes[name] = (prompt, references[name])
    started = time.perf_counter()
    policy = _policy(args.model, args.random_init, args.tokenizer)
    load_seconds = time.perf_counter() - started
    base = base_readings(policy, probes)

    rows = []
    with console.status("updating…") as status:
        for name, steps, start in slices:
            for recipe, overrides in recipes.items():
                status.update(f"{name}: {recipe}")
                policy.reset_adapter()
                settings = replace(LearnerSettings(), **overrides)
                probe = recorded_probe(steps, AgentSettings().max_new_tokens, lambda text: len(policy.encode(text)))
                learner = Learner(policy, settings, format_probe=probe)
                report = learner.update(steps, examples=build_examples(
                    steps, start=start, localise_failed_action=settings.localise_failed_action))
                rows.append({"task": name, "recipe": recipe, "seconds": round(report.seconds, 2),
                             "steps": report.steps, "accepted": report.accepted, "kl": report.kl,
                             "timings": report.timings, "reason": report.reason, "shrunk": report.shrunk,
                             "scale": report.scale, "writes_fix": report.writes_fix,
                             "extra_steps": report.extra_steps, **_action_moved(policy, probe),
                             "heldout_delta": _heldout_delta(policy, probes, base, name) if report.accepted else None})
    policy.reset_adapter()

    table = Table(title=f"update requested → adapter live · {args.model}"
                        f"{' (random init)' if args.random_init else ''} · device {policy.device}")
    for column in ("task", *(f"{r} s (steps, verdict)" for r in recipes)):
        table.add_column(column)
    for name, _, _ in slices:
        cells = []
        for recipe in recipes:
            row = next(r for r in rows if r["task"] == name and r["recipe"] == recipe)
            cells.append(f"{row['seconds']:.1f} ({row['steps']}, {'accepted' if row['accepted'] else 'rolled back'})")
        table.add_row(name, *cells)
    medians = {recipe: statistics.median(r["seconds"] for r in rows if r["recipe"] == recipe) for recipe in recipes}
    table.add_row("[bold]median", *(f"[bold]{medians[r]:.1f}" for r in recipes))
    console.print(table)
    for recipe in recipes:
        ran = [r for r in rows if r["recipe"] == recipe]
        effective = sum(bool(r["accepted"] and r["changes_action"]) for r in ran)
        fixing = sum(bool(r["accepted"] and r["writes_fix"]) for r in ran)
        console.print(f"{recipe}: median request → live {medians[recipe]:.1f} s, "
                      f"{sum(r['accepted'] for r in ran)}/{len(ran)} accepted, "
                      f"{effective}/{len(ran)} accepted and changing the agent's action, "
                      f"{fixing}/{len(ran)} accepted and writing the correction"
                      + _forgetting_text([r["heldout_delta"] for r in ran if r["heldout_delta"] is not None]))
    for row in rows:
        if not row["steps"]:
            console.print(f"{row['task']} ({row['recipe']}): no training: {row['reason']}")
    if {"current", "fixed-30"} <= medians.keys() and medians["fixed-30"]:
        console.print(f"current / fixed-30: {medians['current'] / medians['fixed-30']:.2f}×")
    console.print(f"model load {load_seconds:.1f} s (paid once, not per update)")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"rows": rows, "medians": medians, "load_seconds": load_seconds,
                                        "device": str(policy.device), "model": args.model}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
