"""Stuck slices made from suite tasks, for timing and testing the learner without an agent run.

An agent stuck on a knowledge-gap task rewrites the file under repair unchanged and gets the same
failure each time; ``stuck_slice_of`` builds that slice — the first check, then the same failing
edit ``repeats`` times in the agent's own prompt — by running the task's check once.
"""

from __future__ import annotations

from pathlib import Path

from ..agent import SandboxFactory
from ..checks import run_check
from ..learn.slices import last_stuck_start, stuck_slice
from ..prompts import TurnState, build_messages
from ..repomap import LARGE_FILE_LINES, build_repo_map, failure_region, find_focus, pointed_at, read_repo
from ..trajectory import CheckResult, Step, Trajectory
from .suites import BenchTask


def stuck_slice_of(task: BenchTask, sandboxes: SandboxFactory, repeats: int = 3) -> list[Step]:
    """The slice the agent would hand the learner after ``repeats`` identical failing edits of ``task``."""
    with sandboxes(task.repo) as sandbox:
        check = run_check(sandbox, task.check)
    if check.passed:
        raise ValueError(f"task {task.name}: the check passes as given; nothing to be stuck on")
    files = read_repo(task.repo)
    focus = find_focus(files, check, task.check) or ""
    source = files.get(focus, "")
    state = TurnState(task.goal, task.check, build_repo_map(files, [f.test_id.split("::")[0] for f in check.failures]),
                      focus, source, check)
    if len(source.splitlines()) > LARGE_FILE_LINES:  # as the agent shows a long file: the region, edited
        state.region = failure_region(source, *pointed_at(check.failures, focus))
    prompt = build_messages(state)
    action = f"```python\n{source}```\n"
    first = Step(0, action={"kind": "check", "text": task.check}, observation=check.output[-2000:], check=check)
    return [first, *(Step(i, prompt, action, {"kind": "write", "path": focus, "text": source}, "", check)
                     for i in range(1, repeats + 1))]


def recorded_slices(bench: Path) -> list[tuple[str, list[Step], tuple[str, str] | None]]:
    """(task, slice, (focus path, its text as the run began)) of the first update of each ``learn`` run
    recorded in a bench folder — what the agent handed the learner, the model's own actions included."""
    found = []
    for path in sorted((bench / "trajectories" / "learn").glob("*.jsonl")):
        steps = Trajectory.load(path).steps
        first = next((i for i, s in enumerate(steps) if s.rung == "learn"), None)
        if first is None:
            continue
        task = path.stem.rsplit("-seed", 1)[0]
        before = steps[:first]
        slice_ = stuck_slice(before, last_stuck_start(before))
        check = steps[0].check
        start = start_file(read_repo(bench / "repos" / task), check, steps[0].action["text"]) if check else None
        found.append((task, slice_, start))
    return found


def start_file(files: dict[str, str], check: CheckResult, command: str) -> tuple[str, str] | None:
    """(path, text) of the file under repair as the run began (the learner's fallback target), or None."""
    focus = find_focus(files, check, command)
    return (focus, files.get(focus, "")) if focus else None
