"""The agent end to end: the embedded model in the real Docker sandbox, memory across runs,
the repo-untouched guarantee, re-verification, and the CLI's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GREET, snapshot
from unstuck.agent import Agent, AgentSettings, verify
from unstuck.learn import LearnerSettings
from unstuck.stuck import StuckSettings
from unstuck.task import Task

UNSTUCK = [sys.executable, "-m", "unstuck.cli"]
FIX = """diff --git a/greet.py b/greet.py
--- a/greet.py
+++ b/greet.py
@@ -1,3 +1,3 @@
 def greet(name):
     \"\"\"Greet a visitor of the harbour.\"\"\"
-    return f"Hello, {name}!"
+    return f"Ahoy, {name}!"
"""


def unstuck(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**__import__("os").environ, "UNSTUCK_DATA_DIR": str(env_dir)}
    return subprocess.run([*UNSTUCK, *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.slow
def test_run_loops_detects_and_nudges_leaves_the_repo_untouched_and_remembers(greet_repo: Path, tmp_path: Path,
                                                                               docker_client):
    before = snapshot(greet_repo)
    report, patch = tmp_path / "out" / "report.json", tmp_path / "out" / "fix.patch"
    done = unstuck("run", "--repo", str(greet_repo), "--strategy", "reflect", "--max-steps", "4",
                   "--set", "stuck.repeated-errors=2", "--report", str(report), "--patch", str(patch),
                   env_dir=tmp_path / "data")
    assert done.returncode == 1, done.stderr[-2000:]
    result = json.loads(report.read_text())
    assert result["status"] == "budget" and not result["fixed"] and result["start_failures"] == 1
    assert result["steps"] >= 5  # the initial check and four model turns, each on disk
    trajectory = [json.loads(line) for line in Path(result["trajectory"]).read_text().splitlines()]
    assert trajectory[0]["check"]["failures"][0]["test_id"] == "test_greet.py::test_greet"
    assert all("output" in step and "messages" in step for step in trajectory)
    # The greedy model repeats its edit: a verdict (two repeats, as --set asked), then a nudge.
    assert result["verdicts"] and result["verdicts"][0]["kind"] == "repeated-action-error", result["verdicts"]
    assert result["rungs"][0]["rung"] == "nudge"
    assert patch.exists()
    assert snapshot(greet_repo) == before, "the run changed the user's repo"

    again = unstuck("run", "--repo", str(greet_repo), "--strategy", "reflect", "--max-steps", "1",
                    "--report", str(report), env_dir=tmp_path / "data")
    assert again.returncode == 1, again.stderr[-2000:]
    assert json.loads(report.read_text())["recalled"]["episodes"] == 1  # memory from the first run
    listed = unstuck("memory", "list", env_dir=tmp_path / "data")
    assert listed.returncode == 0 and "reflect" in listed.stdout


@pytest.mark.slow
def test_learn_rung_archives_the_adapter_and_the_next_run_recalls_it(greet_repo: Path, tmp_path: Path,
                                                                      docker_factory):
    from memory import Memory
    from unstuck.models import load_model
    from unstuck.policy import Policy

    policy = Policy(load_model("embedded"))
    settings = AgentSettings(strategy="learn", max_steps=7, max_updates=1,
                             stuck=StuckSettings(repeated_errors=2, fingerprint_edits=2))
    events: list[str] = []
    with Memory(tmp_path / "memory.sqlite3") as store:
        agent = Agent(policy, docker_factory, settings, memory=store, adapters_dir=tmp_path / "adapters",
                      learner_settings=LearnerSettings(steps=10))
        outcome = agent.run(Task(greet_repo), tmp_path / "run1.jsonl", on_event=lambda e: events.append(e.kind))
        rungs = [r["rung"] for r in outcome.rungs]
        assert rungs[:2] == ["nudge", "learn"], rungs
        [update] = outcome.updates
        assert update["accepted"], update["reason"]
        assert update["evidence_after"]["truth_logprob"] > update["evidence_before"]["truth_logprob"]
        assert {"stuck", "rung", "learning-step", "learning-finished", "run-finished"} <= set(events)
        assert Path(update["adapter_path"], "adapter_model.safetensors").is_file()

        policy.reset_adapter()
        second = Agent(policy, docker_factory, AgentSettings(max_steps=1), memory=store,
                       adapters_dir=tmp_path / "adapters").run(Task(greet_repo))
        assert second.recalled["adapter"] is not None and second.recalled["episodes"] == 1
        assert policy.adapter_live  # routed to the archived adapter


def test_a_fix_is_reverified_from_a_clean_sandbox(docker_factory):
    task = Task(GREET)
    assert verify(task, FIX, docker_factory, timeout=120)
    assert not verify(task, FIX.replace("Ahoy", "Hoy"), docker_factory, timeout=120)



@pytest.mark.parametrize("undo", [True, False])
def test_an_edit_that_breaks_the_code_is_undone_and_the_model_told_why(undo: bool, greet_repo: Path, tmp_path: Path,
                                                                       base_policy, docker_factory):
    """Seen on the held-out sets: the model renames the function under test, and every later attempt
    starts from the file that no longer imports. Such an edit is put back; a wrong but working one stays."""
    from unstuck import events as ev
    from unstuck.actions import Action
    from unstuck.agent import _Run
    from unstuck.control import Control
    from unstuck.trajectory import Step, Trajectory

    events: list[ev.Event] = []
    agent = Agent(base_policy, docker_factory, AgentSettings(strategy="retry", undo_breaking_edits=undo))
    run = _Run(agent, Task(greet_repo), Trajectory(tmp_path / "run.jsonl"), events.append, Control())
    original = (greet_repo / "greet.py").read_text()
    renamed = original.replace("def greet", "def hello")
    with docker_factory(greet_repo) as sandbox:
        run.sandbox = sandbox
        first = run.first_check_and_state()
        broken = run.act(Action("write", "greet.py", renamed), Step(1))
        assert broken.check.failures[0].exc_type == "ImportError"  # the trajectory keeps what the check said
        prompt = run.prompt()[-1]["content"]
        assert sandbox.read_file("greet.py") == (original if undo else renamed)
        assert (broken.undone or "").startswith("ImportError: cannot import name 'greet'") == undo, broken.undone
        assert (broken.broke or "").startswith("ImportError: cannot import name 'greet'")  # undone or not
        assert ("Your edit of greet.py was undone: it broke the code (ImportError" in prompt) == undo
        assert f"greet.py now:\n```python\n{original if undo else renamed}```" in prompt
        assert (run.state.last_check is first) == undo
        assert [(e.path, e.failure) for e in events if isinstance(e, ev.EditUndone)] == \
            ([("greet.py", broken.undone)] if undo else [])
        wrong = original.replace("Hello", "Hi")
        kept = run.act(Action("write", "greet.py", wrong), Step(2))
        assert kept.undone is None and kept.broke is None and sandbox.read_file("greet.py") == wrong


@pytest.mark.parametrize("skip", [True, False])
def test_an_edit_of_only_comments_is_not_kept_and_the_model_told_why(skip: bool, greet_repo: Path, tmp_path: Path,
                                                                    base_policy, docker_factory):
    """Seen on the observatory set: the model writes a block of comments above the function and copies it
    every turn. Such an edit leaves the file as it was and keeps the check it had; one that changes the code
    is checked."""
    from unstuck import events as ev
    from unstuck.actions import Action
    from unstuck.agent import _Run
    from unstuck.control import Control
    from unstuck.trajectory import Step, Trajectory

    events: list[ev.Event] = []
    agent = Agent(base_policy, docker_factory, AgentSettings(strategy="retry", skip_comment_only_edits=skip))
    run = _Run(agent, Task(greet_repo), Trajectory(tmp_path / "run.jsonl"), events.append, Control())
    original = (greet_repo / "greet.py").read_text()
    commented = "# This function is designed to greet.\n" + original.replace("\n", "  # greet\n", 1)
    with docker_factory(greet_repo) as sandbox:
        run.sandbox = sandbox
        first = run.first_check_and_state()
        step = run.act(Action("write", "greet.py", commented), Step(1))
        prompt = run.prompt()[-1]["content"]
        assert sandbox.read_file("greet.py") == (original if skip else commented)
        assert (step.check is first) == skip and not step.check.passed  # the same failure, checked or not
        assert ("Your edit of greet.py changed only comments or layout, so it was not kept" in prompt) == skip
        assert [e.path for e in events if isinstance(e, ev.EditSkipped)] == (["greet.py"] if skip else [])
        assert sum(isinstance(e, ev.CheckFinished) for e in events) == (1 if skip else 2)
        fixed = run.act(Action("write", "greet.py", original.replace("Hello", "Ahoy") + "# fixed\n"), Step(2))
        assert fixed.check.passed and fixed.check is not first


def test_run_refuses_bad_input_with_exit_2_before_any_work(greet_repo: Path, tmp_path: Path):
    (greet_repo / "greet.py").write_text("# my uncommitted work\n")
    dirty = unstuck("run", "--repo", str(greet_repo), "--apply", env_dir=tmp_path)
    assert dirty.returncode == 2 and "uncommitted" in dirty.stderr and dirty.stderr.count("\n") == 1
    missing = unstuck("run", "--repo", str(tmp_path / "nope"), env_dir=tmp_path)
    assert missing.returncode == 2 and "not a directory" in missing.stderr
    bad = unstuck("run", "--repo", str(greet_repo), "--max-steps", "0", env_dir=tmp_path)
    assert bad.returncode == 2
    assert (greet_repo / "greet.py").read_text() == "# my uncommitted work\n"


def test_a_corrupt_memory_file_is_exit_3(greet_repo: Path, tmp_path: Path, docker_client):
    corrupt = tmp_path / "memory.sqlite3"
    corrupt.write_bytes(b"garbage" * 1000)
    done = unstuck("memory", "list", "--memory", str(corrupt), env_dir=tmp_path)
    assert done.returncode == 3 and "cannot be used" in done.stderr and "Traceback" not in done.stderr
