"""``unstuck bench``: every strategy on the same tasks, a progress bar, a table, a plot, hidden tests on the
fixes, a forgetting check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import events as ev
from ..fileio import write_atomic
from .forgetting import forgetting_check, forgetting_line
from .hidden import hidden_check
from .report import markdown_table, plot_solve_rate, summarize_by_split, summary_table
from .runner import BenchRunner, BenchSettings, RunKey, plan, prepare_out, read_results
from .suites import load_suite, suite_roots


def run_bench(settings: BenchSettings, out: Path, sandbox: str = "docker", heldout: int = 3, fresh: bool = False,
              console: Console | None = None) -> dict[str, Any]:
    """Run (or resume) a bench into ``out``; returns the summary also written to ``out/summary.json``."""
    from ..config import SandboxSettings
    from ..models import load_model
    from ..policy import Policy
    from ..runtime import sandbox_factory

    console = console or Console(stderr=True)
    suite_roots(settings.suite)  # a wrong --suite is a usage error before anything is written
    if fresh and out.exists():
        shutil.rmtree(out)
    prepare_out(out, settings)
    tasks = load_suite(settings.suite, out / "repos", settings.tasks)
    done = read_results(out)
    todo = plan(tasks, settings, done)
    console.print(f"bench: {len(tasks)} task(s) × {len(settings.strategies)} strategy(ies) × {settings.seeds} "
                  f"seed(s), budget {settings.budget} turns; "
                  f"{len(todo)} run(s) to do" + (f", {len(done)} already in {out}" if done else ""))
    factory = sandbox_factory(SandboxSettings(kind=sandbox), say=lambda m: console.print(f"[dim]{m}"))
    with console.status(f"loading {settings.model}…"):
        policy = Policy(load_model(settings.model))
    by_name = {t.name: t for t in tasks}
    if todo:
        _run_all(BenchRunner(policy, factory, settings, out), todo, by_name, console)
    def this_bench(row: dict[str, Any]) -> bool:
        return row["task"] in by_name and row["strategy"] in settings.strategies and row["seed"] < settings.seeds

    hidden_check([r for r in read_results(out) if this_bench(r)], tasks, out, factory,
                 say=lambda m: console.print(f"[dim]{m}"))
    rows = [r for r in read_results(out) if this_bench(r)]
    by_split = summarize_by_split(rows)
    title = f"{settings.suite} · {settings.model} · budget {settings.budget} · {settings.seeds} seed(s)"
    for split, lines in by_split.items():
        if split != "all" or len(by_split) == 1:
            console.print(summary_table(lines, f"{title} · {split}" if split != "all" else title))
    lines = by_split["all"]
    plot = plot_solve_rate(rows, settings.budget, out / "solve-rate.png", title)
    forgetting = forgetting_check(policy, rows, tasks, out, heldout, say=lambda m: console.print(f"[dim]{m}"))
    console.print(forgetting_line(forgetting))
    summary = {"settings": settings.__dict__, "device": str(policy.device), "strategies": lines,
               "by_split": by_split, "forgetting": forgetting, "plot": str(plot), "runs": len(rows)}
    write_atomic(out / "summary.json", json.dumps(summary, indent=2))
    shown = {split: split_lines for split, split_lines in by_split.items() if split != "all" or len(by_split) == 1}
    tables = "\n".join(f"**{title} · {split}**\n\n{markdown_table(lines)}" for split, lines in shown.items())
    write_atomic(out / "summary.md", f"{tables}\n{forgetting_line(forgetting)}\n")
    console.print(f"results: {out / 'summary.md'}, {out / 'results.jsonl'}, plot {plot}")
    return summary


def _run_all(runner: BenchRunner, todo: list[RunKey], tasks: dict, console: Console) -> None:
    columns = (TextColumn("[bold]bench"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        bar = progress.add_task("", total=len(todo))
        ticker = _Ticker(progress, bar, runner.settings.budget)
        runner.on_event = ticker
        for key in todo:
            ticker.start(key)
            row = runner.run(tasks[key.task], key)
            mark = "[green]✓ fixed" if row["fixed"] else f"[red]✗ {row['status']}"
            updates = f", {row['accepted']}/{row['updates']} update(s) accepted" if row["updates"] else ""
            progress.console.print(f"{mark}[/] {key.task} · {key.strategy} · seed {key.seed}: {row['turns']} turn(s)"
                                   f"{updates}, {row['seconds']:.0f} s")
            progress.advance(bar)


class _Ticker:
    """Shows where the current run is (turn, verdict, training step) in the progress bar."""

    def __init__(self, progress: Progress, bar: Any, budget: int) -> None:
        self.progress, self.bar, self.budget = progress, bar, budget
        self.key: RunKey | None = None
        self.turn, self.note = 0, ""

    def start(self, key: RunKey) -> None:
        self.key, self.turn, self.note = key, 0, ""
        self._show()

    def __call__(self, key: RunKey, event: ev.Event) -> None:
        if isinstance(event, ev.GenerationStarted) and event.purpose == "action":
            self.turn += 1
            self.note = ""
        elif isinstance(event, ev.StuckVerdict):
            self.note = f"stuck: {event.verdict}"
        elif isinstance(event, ev.RungTaken):
            self.note = event.rung
        elif isinstance(event, ev.LearningStep):
            self.note = f"learning step {event.update_step}/{event.total_steps}"
        elif isinstance(event, ev.PhaseStarted):
            self.note = event.detail or event.phase
        else:
            return
        self._show()

    def _show(self) -> None:
        key = self.key
        text = f"{key.task} · {key.strategy} · seed {key.seed} · turn {min(self.turn, self.budget)}/{self.budget}"
        self.progress.update(self.bar, description=text + (f" · {self.note}" if self.note else ""))
