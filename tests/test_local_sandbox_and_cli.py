"""The local (not isolated) sandbox, shared helpers, and the sandbox CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import LocalSandbox, PathEscape
from sandbox.base import CappedOutput, workspace_relative
from tests.conftest import snapshot

UNSTUCK = [sys.executable, "-m", "unstuck.cli"]


def test_local_sandbox_same_api_and_repo_untouched(repo):
    before = snapshot(repo)
    with LocalSandbox(repo) as sb:
        assert not sb.isolated
        assert sb.run("python -m pytest -q").exit_code == 1
        sb.write_file("pkg/mod.py", "def add(a, b):\n    return a + b\n")
        assert sb.run("python -m pytest -q").exit_code == 0
        assert "+    return a + b" in sb.diff()
        assert sb.read_file("notes.txt").startswith("untracked")
        with pytest.raises(FileNotFoundError):
            sb.read_file("secret.txt")
        timed = sb.run("sleep 30", timeout=1)
        assert timed.timed_out and timed.duration < 3
        sb.run("ln -s /etc etc-link")
        with pytest.raises(PathEscape):
            sb.read_file("etc-link/passwd")
        sb.reset()
        assert sb.diff() == ""
    assert snapshot(repo) == before


def test_capped_output_keeps_head_and_tail():
    out = CappedOutput(head=10, tail=10)
    for _ in range(1000):
        out.feed(b"0123456789")
    out.feed(b"THE-END")
    text = out.text()
    assert text.startswith("0123456789") and text.endswith("789THE-END")
    assert out.cut == 10_007 - 20 and f"{out.cut} bytes of output cut" in text


@pytest.mark.parametrize("bad", ["", " a", "/abs", "../up", "a/../../up", ".git/HEAD", "a\x00b"])
def test_workspace_relative_refuses(bad):
    with pytest.raises(PathEscape):
        workspace_relative(bad)


def test_help_does_not_import_heavy_modules():
    heavy = "('torch', 'transformers', 'docker', 'textual')"
    code = f"import sys, unstuck.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert subprocess.run([*UNSTUCK, "--help"], capture_output=True).returncode == 0


def test_sandbox_exec_passes_the_exit_code_and_output(repo, sandbox_image):
    done = subprocess.run([*UNSTUCK, "sandbox", "exec", "--repo", str(repo), "--", "cat notes.txt; exit 7"],
                          capture_output=True, text=True)
    assert done.returncode == 7
    assert done.stdout == "untracked but not ignored\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["sandbox", "exec", "--repo", "/no/such/dir", "--", "true"], 2),
        (["sandbox", "exec", "--timeout", "nope", "--", "true"], 2),
        (["no-such-command"], 2),
        (["learn", "--trajectory", "/no/such/file"], 2),
    ],
)
def test_bad_input_gets_one_line_and_an_exit_code(args, code):
    done = subprocess.run([*UNSTUCK, *args], capture_output=True, text=True)
    assert done.returncode == code
    assert "Traceback" not in done.stderr


def test_doctor_reports_ready_parts(sandbox_image):
    done = subprocess.run([*UNSTUCK, "doctor"], capture_output=True, text=True)
    assert "Docker engine" in done.stdout and "sandbox image" in done.stdout
    assert done.returncode == 0, done.stdout


def test_gc_command(sandbox_image):
    done = subprocess.run([*UNSTUCK, "sandbox", "gc"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("removed")


def test_local_sandbox_refuses_missing_repo(tmp_path: Path):
    from sandbox import SandboxError

    with pytest.raises(SandboxError):
        LocalSandbox(tmp_path / "missing")


@pytest.mark.slow
def test_learn_from_a_recorded_run_offline(tmp_path):
    """`unstuck learn` on a trajectory file: the slice after the stuck verdict, the guard with the
    format probe taken from the recorded action, a report on disk, and the exit code saying which."""
    from tests.stuck_greet import stuck_steps
    from unstuck.trajectory import Step, Trajectory

    recorded = Trajectory(tmp_path / "run.jsonl")
    steps = stuck_steps()
    for step in steps:
        recorded.append(step)
    recorded.append(Step(len(steps), verdict={"kind": "repeated-action-error", "since_step": 0}))
    report = tmp_path / "update.json"
    done = subprocess.run([*UNSTUCK, "learn", "--trajectory", str(recorded.path), "--steps", "3",
                           "--report", str(report), "--out", str(tmp_path / "adapter")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    data = json.loads(report.read_text())
    assert data["steps"] == 3 and data["truths"] == ['greet("Bob") must return "Ahoy, Bob!"']
    assert data["accepted"] == (done.returncode == 0) == (tmp_path / "adapter").is_dir()
    assert ("accepted" if data["accepted"] else "rolled back") in done.stdout
