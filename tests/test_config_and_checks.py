"""Settings a user writes down ([tool.unstuck], flags, `unstuck config`), checks that are not a bare
`pytest …` line, and the inputs refused before any work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from unstuck.checks import run_check
from unstuck.config import load_settings, parse_assignment
from unstuck.errors import UsageError
from unstuck.task import RepoLimits, check_repo

UNSTUCK = [sys.executable, "-m", "unstuck.cli"]

PYPROJECT = """
[project]
name = "demo"

[tool.unstuck]
check = "python -m pytest -q tests"
max-steps = 7
model = "embedded"

[tool.unstuck.stuck]
repeated-errors = 2

[tool.unstuck.sandbox]
memory = "2g"
"""


def _unstuck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*UNSTUCK, *args], capture_output=True, text=True, timeout=120)


def test_the_repo_table_sets_values_and_flags_override_it(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    effective = load_settings(tmp_path, {"agent.max_steps": (3, "--max-steps")})
    settings, sources = effective.settings, effective.sources
    assert settings.task.check == "python -m pytest -q tests" and sources["task.check"].startswith("pyproject.toml")
    assert settings.agent.max_steps == 3 and sources["agent.max_steps"] == "--max-steps"
    assert settings.agent.stuck.repeated_errors == 2 and settings.sandbox.memory == "2g"
    assert settings.agent.max_tokens == 20_000 and "agent.max_tokens" not in sources  # a default
    assert parse_assignment("stuck.no-progress-checks=5") == ("agent.stuck.no_progress_checks", 5)
    assert parse_assignment("max-steps=4") == ("agent.max_steps", 4)


def test_unstuck_config_prints_each_value_with_its_source(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    done = _unstuck("config", "--repo", str(tmp_path), "--max-steps", "3", "--set", "learner.steps=12", "--json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["max-steps"] == {"value": 3, "source": "--max-steps"}
    assert shown["check"] == {"value": "python -m pytest -q tests", "source": "pyproject.toml [tool.unstuck]"}
    assert shown["stuck.repeated-errors"]["value"] == 2 and shown["sandbox.memory"]["value"] == "2g"
    assert shown["learner.steps"] == {"value": 12, "source": "--set learner.steps"}
    assert shown["max-tokens"]["source"] == "default"
    table = _unstuck("config", "--repo", str(tmp_path))
    assert table.returncode == 0 and "stuck.repeated-errors" in table.stdout


@pytest.mark.parametrize(("table", "message"), [
    ("[tool.unstuck]\nmax-stepz = 3\n", "unknown setting"),
    ("[tool.unstuck]\nmax-steps = 'ten'\n", "max-steps must be int"),
    ("[tool.unstuck]\nmax-steps = 0\n", "must be positive"),
    ("[tool.unstuck.wrong]\nx = 1\n", "unknown table"),
    ("[tool.unstuck\n", "not valid TOML"),
])
def test_a_bad_setting_is_one_line_and_exit_2(tmp_path: Path, table: str, message: str):
    (tmp_path / "pyproject.toml").write_text(table)
    done = _unstuck("config", "--repo", str(tmp_path))
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_folder_that_is_no_repo_or_far_too_large_is_refused_before_any_work(tmp_path: Path, repo: Path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.txt").write_text("x")
    done = _unstuck("run", "--repo", str(plain))
    assert done.returncode == 2 and "not a git repository" in done.stderr and "--allow-non-git" in done.stderr
    with pytest.raises(UsageError, match="--allow-large"):
        check_repo(repo, RepoLimits(max_files=3))
    check_repo(repo, RepoLimits(max_files=3, allow_large=True))
    check_repo(plain, RepoLimits(allow_non_git=True))
    (repo / "big.bin").write_bytes(b"\0" * 3_000_000)
    git(repo, "add", "big.bin")
    with pytest.raises(UsageError, match="2 MB"):
        check_repo(repo, RepoLimits(max_megabytes=2))


def test_sandbox_exec_keeps_the_arguments_as_given(repo: Path, sandbox_image):
    done = _unstuck("sandbox", "exec", "--repo", str(repo), "--", "sh", "-c", 'echo "a  b"')
    assert done.returncode == 0 and done.stdout == "a  b\n", done
    line = _unstuck("sandbox", "exec", "--repo", str(repo), "--", "echo one; echo two")
    assert line.stdout == "one\ntwo\n"


@pytest.mark.parametrize("check", [
    "python -m pytest -q -p no:cacheprovider",
    "./run-tests.sh",                                   # a script that runs pytest somewhere inside
    "python -m pytest -q -p no:cacheprovider; echo done",  # exits 0 although a test fails
])
def test_any_check_that_runs_pytest_reports_its_failing_tests(repo: Path, docker_factory, check: str):
    (repo / "run-tests.sh").write_text('#!/bin/sh\ncd "$(dirname "$0")" && python -m pytest -q -p no:cacheprovider\n')
    (repo / "run-tests.sh").chmod(0o755)
    with docker_factory(repo) as sandbox:
        result = run_check(sandbox, check)
        assert not result.passed
        assert [f.test_id for f in result.failures] == ["test_mod.py::test_add"]
        sandbox.write_file("pkg/mod.py", "def add(a, b):\n    return a + b\n")
        assert run_check(sandbox, check).passed


def test_a_check_that_is_not_pytest_gets_a_fingerprint_from_its_exit_and_output(repo: Path, docker_factory):
    with docker_factory(repo) as sandbox:
        first = run_check(sandbox, "echo 'expected 3, got -1' >&2; exit 4")
        again = run_check(sandbox, "echo 'expected 3, got -1' >&2; exit 4")
        other = run_check(sandbox, "echo 'expected 3, got 5' >&2; exit 4")
    assert not first.passed and first.failures[0].exc_type == "ExitCode"
    assert first.fingerprint == again.fingerprint != other.fingerprint


def test_a_script_check_names_the_call_it_prints_as_actual(repo: Path, docker_factory):
    (repo / "check_add.py").write_text("from pkg.mod import add\n\nresult = add(2, 2)\nif result != 4:\n"
                                        "    print(f'expected: 4')\n    print(f'actual: {result}')\n"
                                        "    raise SystemExit(1)\n")
    with docker_factory(repo) as sandbox:
        result = run_check(sandbox, "python check_add.py")
    [failure] = result.failures
    assert [(f["left"], f["right"], f["subject"]) for f in failure.facts] == [("0", "4", "add(2, 2)")]


def test_pytest_called_wrongly_is_told_apart_from_no_tests_even_when_its_error_line_arrives_glued():
    from unstuck.checks import broken_pipeline
    from unstuck.trajectory import CheckResult

    glued = CheckResult(False, 4, output="no tests ran in 0.00sERROR: file or directory not found: tests/nowhere\n")
    assert broken_pipeline(glued).startswith("pytest was called wrongly")
    empty = CheckResult(False, 5, output="no tests ran in 0.01s\n")
    assert broken_pipeline(empty).startswith("no tests were collected")
