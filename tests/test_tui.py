"""The terminal UI driven by Textual's Pilot over real runs (embedded model, Docker sandbox)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import git, snapshot
from tui.app import UnstuckApp
from tui.screens import ReviewScreen, TeachScreen
from tui.widgets import LearningPanel, StepLog
from unstuck import events as ev
from unstuck.config import load_settings
from unstuck.runtime import Runtime
from unstuck.trajectory import Trajectory

FACT = 'greet(name) must return f"Ahoy, {name}!" — the harbour greets with Ahoy, not Hello.'
SIZE = (140, 45)


def _app(repo: Path, policy, tmp_path: Path, **agent) -> UnstuckApp:
    settings = load_settings(repo).settings
    settings = dataclasses.replace(settings, agent=dataclasses.replace(settings.agent, **agent))
    runtime = Runtime(settings, memory_path=tmp_path / "memory.sqlite3", policy=policy)
    return UnstuckApp(settings, repo, runtime)


async def _until(pilot, condition, timeout: float = 300, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await pilot.pause(0.05)


def _seen(app: UnstuckApp, cls: type[ev.Event], after: int = -1) -> list[ev.Event]:
    return [e for e in app.history if isinstance(e, cls) and getattr(e, "step", 0) > after]


async def _type(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


@pytest.mark.slow
async def test_a_goal_streams_steps_an_interjection_reaches_the_prompt_and_pause_holds(
        greet_repo: Path, base_policy, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("UNSTUCK_DATA_DIR", str(tmp_path / "data"))
    app = _app(greet_repo, base_policy, tmp_path, max_steps=3, strategy="retry")
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.ready, 120, "the model")
        await _type(pilot, "Make the test pass.")
        await pilot.press("enter")
        await _until(pilot, lambda: _seen(app, ev.ActionTaken), what="the first action")
        assert any("step 1: write greet.py" in str(line) for line in app.query_one(StepLog).lines)
        await pilot.press("f3")  # pause, then say something while the run waits
        await _until(pilot, lambda: _seen(app, ev.Paused), what="the pause")
        paused_at = len(app.history)
        assert "paused" in app.query_one("#status").text
        await _type(pilot, "Use the greeting the assertion expects.")
        await pilot.press("enter")
        await pilot.pause(1.0)
        assert not [e for e in app.history[paused_at:] if isinstance(e, ev.GenerationStarted)], "wrote while paused"
        await pilot.press("f3")  # resume: the interjection is heard at once
        await _until(pilot, lambda: _seen(app, ev.Interjected), what="the interjection")
        heard = _seen(app, ev.Interjected)[0]
        await _until(pilot, lambda: app.outcome is not None, what="the end of the run")
    steps = Trajectory.load(app.outcome.trajectory).steps
    said = next(s for s in steps if s.rung == "interject")
    assert said.manager == heard.text == "Use the greeting the assertion expects."
    following = next(s for s in steps if s.index > said.index and s.messages)
    assert "Your manager says: Use the greeting the assertion expects." in following.messages[-1]["content"]
    assert [e.kind for e in app.history].count("resumed") == 1


@pytest.mark.slow
async def test_teach_shows_the_update_then_reject_and_accept_the_diff(greet_repo: Path, base_policy,
                                                                      tmp_path: Path, monkeypatch):
    monkeypatch.setenv("UNSTUCK_DATA_DIR", str(tmp_path / "data"))
    before = snapshot(greet_repo)
    app = _app(greet_repo, base_policy, tmp_path, max_steps=3, strategy="retry")
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.ready, 120, "the model")
        await _type(pilot, "Make the test pass.")
        await pilot.press("enter")
        await pilot.press("f2")
        assert isinstance(app.screen, TeachScreen)
        app.screen.query_one("#fact").value = FACT  # typed key by key it is slow while the model streams
        await pilot.press("enter")
        await _until(pilot, lambda: _seen(app, ev.LearningFinished), what="the update")
        learned = _seen(app, ev.LearningFinished)[0]
        assert learned.source == "teach" and learned.accepted, learned.reason
        panel = app.query_one(LearningPanel)
        assert "accepted" in str(panel.card.query_one(".update-status").render())
        assert "KL" in str(panel.card.query_one(".update-status").render())
        assert "in use" in str(panel.query_one("#adapter").render())
        await _until(pilot, lambda: isinstance(app.screen, ReviewScreen), what="the review")
        assert app.outcome.status == "fixed" and app.outcome.verified
        await pilot.press("r")  # reject: nothing changes
        await pilot.pause()
        assert snapshot(greet_repo) == before
        expected = _patched_copy(greet_repo, app.outcome.patch, tmp_path / "expected")
        await pilot.press("f6")  # review again, and accept
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("a")
        await pilot.pause()
    assert b'return f"Ahoy, {name}!"' in (greet_repo / "greet.py").read_bytes()
    assert _files(greet_repo) == expected  # byte for byte: the original with exactly the reviewed patch
    assert git(greet_repo, "status", "--porcelain") == " M greet.py\n"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def _patched_copy(repo: Path, patch: str, target: Path) -> dict[str, bytes]:
    """Every file of ``repo`` (``.git`` aside) after ``git apply`` of ``patch`` to a copy of it."""
    shutil.copytree(repo, target, ignore=shutil.ignore_patterns(".git"))
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=target, check=True)
    return _files(target)


async def test_accept_refuses_a_repo_that_changed_during_the_run(greet_repo: Path, base_policy, tmp_path: Path):
    from unstuck.outcome import Outcome
    from unstuck.patching import tree_state

    app = _app(greet_repo, base_policy, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        patch = ("diff --git a/greet.py b/greet.py\n--- a/greet.py\n+++ b/greet.py\n@@ -1,3 +1,3 @@\n"
                 ' def greet(name):\n     """Greet a visitor of the harbour."""\n-    return f"Hello, {name}!"\n'
                 '+    return f"Ahoy, {name}!"\n')
        app.before = tree_state(greet_repo)
        app.outcome = Outcome("fixed", True, True, 3, 1.0, 10, patch, 1, 0)
        (greet_repo / "notes.md").write_text("written while the agent worked\n")
        await pilot.press("f6")
        await pilot.press("a")
        await pilot.pause()
        assert "greet.py" in [p.name for p in greet_repo.iterdir()]
    assert b"Hello" in (greet_repo / "greet.py").read_bytes()  # refused: the repo changed during the run


@pytest.mark.slow
def test_unstuck_tui_in_a_real_terminal_quits_on_ctrl_c_and_leaves_no_sandbox(greet_repo: Path, tmp_path: Path,
                                                                                docker_client):
    """A real terminal (tmux, installed by `make`): type a goal, watch a step arrive, Ctrl-C."""
    import os
    import socket
    import sys

    from sandbox.docker_sandbox import LABEL, OWNER_LABEL

    assert shutil.which("tmux"), "tmux is missing: `make test` installs it (make tools)"
    session = f"unstuck-test-{os.getpid()}"
    env = {**os.environ, "UNSTUCK_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    exit_file = tmp_path / "exit-code"
    command = (f"{sys.executable} -m unstuck.cli tui --repo {greet_repo} --max-steps 5 --strategy retry; "
               f"echo $? > {exit_file}")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "45", command],
                   env=env, check=True)

    def screen() -> str:
        shown = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True)
        return shown.stdout

    def wait_for(text: str, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in (shown := screen()):
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{screen()}")

    try:
        wait_for("ready")
        shell = subprocess.run(["tmux", "display", "-p", "-t", session, "#{pane_pid}"], capture_output=True,
                               text=True, check=True).stdout.strip()
        pid = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()[0]
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "Make the test pass."], check=True)
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        shown = wait_for("step 1: write greet.py")
        assert "greet (main, clean)" in shown and "check fails" in shown
        subprocess.run(["tmux", "send-keys", "-t", session, "C-c"], check=True)
        deadline = time.monotonic() + 30
        while not exit_file.exists():
            assert time.monotonic() < deadline, f"the app did not quit on Ctrl-C:\n{screen()}"
            time.sleep(0.2)
        time.sleep(0.2)
        assert exit_file.read_text().strip() == "0" and "Traceback" not in screen(), screen()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    owner = f"{socket.gethostname()}:{pid}"
    left = [c.name for c in docker_client.containers.list(all=True, filters={"label": LABEL})
            if c.labels.get(OWNER_LABEL) == owner]
    assert left == [], f"sandboxes left behind: {left}"
