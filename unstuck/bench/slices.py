"""Stuck slices made from suite tasks, for timing and testing the learner without an agent run.

An agent stuck on a knowledge-gap task rewrites the file under repair unchanged and gets the same
failure each time; ``stuck_slice_of`` builds that slice — the first check, then the same failing
edit ``repeats`` times in the agent's own prompt — by running the task's check once.
"""

from __future__ import annotations

from ..agent import AgentSettings, SandboxFactory
from ..checks import run_check
from ..learn.guard import FormatProbe
from ..learn.probe import action_probe
from ..policy import Policy
from ..prompts import TurnState, build_messages
from ..repomap import LARGE_FILE_LINES, build_repo_map, failure_region, find_focus, pointed_at, read_repo
from ..trajectory import Step
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


def slice_probe(steps: list[Step], policy: Policy) -> FormatProbe:
    """The format probe the agent would hand the guard after ``steps`` (their last prompt and action)."""
    last = steps[-1]
    return action_probe(last.messages, last.output, len(policy.encode(last.output)), AgentSettings().max_new_tokens,
                        last.action["path"])
