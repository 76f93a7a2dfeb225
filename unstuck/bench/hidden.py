"""Did a fix generalise? Each fixed run's patch, run against its task's hidden test.

A task's check is one test, and a fix can pass it narrowly: by writing the check's answer in
(``return 7.0`` where a constant in another module was wrong, ``sum([0, 55])`` for ``sum(beds) + 5 *
len(beds)``) or by breaking what the check does not look at. A task's ``hidden_test`` (in
``task.json``, never staged) calls the function under repair at other inputs and asserts what the
module must keep; a fix that passes the check and fails it is *narrow*.

Run after every bench, and on any bench folder (results made before it existed included)::

    python -m unstuck.bench.hidden OUT --suite SUITE

Verdicts go to ``OUT/hidden.json`` (``{"STRATEGY/TASK-seedN": true | false}``), one per fixed run of
a task with a hidden test; ``read_results`` joins them into each row as ``general``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..agent import SandboxFactory, verify
from ..fileio import write_atomic
from ..task import Task
from .runner import HIDDEN, RunKey, read_hidden, read_results
from .suites import BenchTask, load_suite

HIDDEN_FILE = "test_unstuck_hidden.py"
HIDDEN_CHECK = f"python -m pytest -q -p no:cacheprovider {HIDDEN_FILE}"


def passes_hidden_test(task: BenchTask, patch: str, sandboxes: SandboxFactory, timeout: float = 120.0) -> bool:
    """Apply ``patch`` to a fresh sandbox of the task, add its hidden test and run that alone."""
    if not task.hidden_test:
        raise ValueError(f"task {task.name} has no hidden test")
    return verify(Task(task.repo, task.goal, HIDDEN_CHECK), patch, sandboxes, timeout,
                  files={HIDDEN_FILE: task.hidden_test})


def hidden_check(rows: list[dict[str, Any]], tasks: list[BenchTask], out: Path, sandboxes: SandboxFactory,
                 say: Callable[[str], None] = lambda message: None) -> dict[str, bool]:
    """Verdicts for every fixed run in ``rows`` whose task has a hidden test (those already in
    ``out/hidden.json`` are kept, not rerun); written to ``out/hidden.json`` as each one ends."""
    path = out / HIDDEN
    verdicts = read_hidden(out)
    by_name = {task.name: task for task in tasks}
    for row in rows:
        name = RunKey.of(row).run_name
        task = by_name.get(row["task"])
        if not row["fixed"] or name in verdicts or task is None or not task.hidden_test:
            continue
        report_path = out / "runs" / f"{name}.json"
        if not report_path.is_file():
            say(f"hidden test: {name} not run: no run report {report_path} (folders made before run reports were kept)")
            continue
        report = json.loads(report_path.read_text(encoding="utf-8"))
        verdicts[name] = passes_hidden_test(task, report["patch"], sandboxes)
        say(f"hidden test: {name} {'general' if verdicts[name] else 'NARROW (fails the hidden test)'}")
        write_atomic(path, json.dumps(verdicts, indent=2, sort_keys=True) + "\n")
    return verdicts


def main(argv: list[str] | None = None) -> int:
    """``python -m unstuck.bench.hidden OUT --suite SUITE``: run the hidden tests on a bench folder's fixes."""
    import argparse

    from ..config import SandboxSettings
    from ..runtime import sandbox_factory
    from .report import markdown_table, summarize_by_split

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--suite", required=True, help="the suite the bench ran (a name or a folder)")
    parser.add_argument("--sandbox", default="docker", choices=("docker", "local"))
    args = parser.parse_args(argv)
    rows = read_results(args.folder)
    if not rows:
        parser.exit(2, f"no results.jsonl with runs in {args.folder}\n")
    with tempfile.TemporaryDirectory() as staging:
        tasks = load_suite(args.suite, Path(staging))
        sandboxes = sandbox_factory(SandboxSettings(kind=args.sandbox), say=print)
        hidden_check(rows, tasks, args.folder, sandboxes, say=print)
    for split, lines in summarize_by_split(read_results(args.folder)).items():
        print(f"\n**{split}**\n\n{markdown_table(lines)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
