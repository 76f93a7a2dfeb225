"""``python -m unstuck.bench.learner``: one update's latency, warm vs reloading the model.

Prints "update requested → adapter live" split into examples, training, guard and swap, steps
per second, and the same update with the model loaded from scratch first (the baseline a warm
learner must beat). ``--model`` takes any model; ``--random-init`` times a config without weights.
"""

from __future__ import annotations

import argparse
import sys
import time

from rich.console import Console
from rich.table import Table


def _policy(model: str, random_init: bool):
    from ..models import load_model
    from ..policy import Policy
    from .random_models import random_policy

    return random_policy(model) if random_init else Policy(load_model(model))


def main(argv: list[str] | None = None) -> int:
    import tempfile
    from pathlib import Path

    from ..config import SandboxSettings
    from ..learn import Learner, LearnerSettings
    from ..runtime import sandbox_factory
    from .slices import slice_probe, stuck_slice_of
    from .suites import load_suite

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--random-init", action="store_true", help="time a random-initialised config (GPU sizing)")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--task", default="greet", help="the knowledge-gap task whose stuck slice to learn from")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as staging:
        tasks = {t.name: t for t in load_suite("knowledge-gap", Path(staging))}
        steps = stuck_slice_of(tasks[args.task], sandbox_factory(SandboxSettings(), say=lambda _m: None))
    settings = LearnerSettings(steps=args.steps)

    started = time.perf_counter()
    policy = _policy(args.model, args.random_init)
    load_seconds = time.perf_counter() - started
    learner = Learner(policy, settings, format_probe=slice_probe(steps, policy))
    warm = learner.update(steps)  # warm: model, tokenizer and optimizer already in memory
    cold_total = load_seconds + warm.seconds

    table = Table(title=f"one update, {args.model}{' (random init)' if args.random_init else ''}, "
                        f"device {policy.device}, {warm.steps} steps")
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    for phase in ("examples", "training", "guard", "swap"):
        table.add_row(phase, f"{warm.timings.get(phase, 0):.2f}")
    table.add_row("[bold]requested → live (warm)", f"[bold]{warm.seconds:.2f}")
    table.add_row("steps / s", f"{warm.steps / max(warm.timings.get('training', 1e-9), 1e-9):.2f}")
    table.add_row("baseline: model load + same update", f"{cold_total:.2f}")
    table.add_row("warm / baseline", f"{warm.seconds / cold_total:.2f}×")
    Console().print(table)
    print(f"accepted={warm.accepted} reason={warm.reason!r} kl={warm.kl}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
