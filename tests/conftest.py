"""Shared fixtures: a real Docker engine, small git repos, the embedded model."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GREET = ROOT / "examples" / "greet"


@pytest.fixture(scope="session")
def docker_client():
    """A client to a real engine. No engine is a failure, never a skip: `make test` starts one."""
    from sandbox.docker_sandbox import engine_client
    from sandbox.errors import EngineUnavailable

    try:
        return engine_client()
    except EngineUnavailable as error:
        pytest.fail(f"{error} — run `make docker` (make test does)")


@pytest.fixture(scope="session")
def sandbox_image(docker_client) -> str:
    from sandbox.image import ensure_image

    return ensure_image(docker_client, say=lambda _m: None)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo,
        check=True, capture_output=True, text=True,
    ).stdout


def commit_all(root: Path) -> Path:
    """``git init`` on branch main and commit everything in ``root``."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def make_repo(root: Path, files: dict[str, str]) -> Path:
    """A committed git repo at ``root`` holding ``files`` (relative path → text)."""
    root.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return commit_all(root)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small git repo with a failing test, an untracked file and an ignored one."""
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text("def add(a, b):\n    return a - b\n")
    (root / "test_mod.py").write_text("from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n")
    (root / "run.sh").write_text("#!/bin/sh\necho run\n")
    (root / "run.sh").chmod(0o755)
    (root / ".gitignore").write_text("secret.txt\n")
    commit_all(root)
    (root / "notes.txt").write_text("untracked but not ignored\n")
    (root / "secret.txt").write_text("ignored\n")
    return root


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file's bytes (``.git`` included) and ``git status``: what must never change."""
    files = {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}
    files["<git status>"] = git(repo, "status", "--porcelain", "--ignored").encode()
    return files


@pytest.fixture
def greet_repo(tmp_path: Path) -> Path:
    """The bundled greet task (a test expects "Ahoy, Bob!", the code says Hello) as the user's git repo."""
    root = tmp_path / "greet"
    shutil.copytree(GREET, root)
    return commit_all(root)


@pytest.fixture
def docker_factory(docker_client, sandbox_image):
    """Opens a real Docker sandbox of a repo, as the agent does."""
    from sandbox import DockerSandbox

    @contextlib.contextmanager
    def factory(repo: Path):
        with DockerSandbox(repo, image=sandbox_image, client=docker_client) as box:
            yield box

    return factory


@pytest.fixture(scope="session")
def embedded_policy():
    """The embedded SmolLM2-135M-Instruct (real weights), loaded once; tests reset its adapter."""
    from unstuck.models import load_model
    from unstuck.policy import Policy

    return Policy(load_model("embedded"))


@pytest.fixture
def base_policy(embedded_policy):
    """The embedded policy with a fresh adapter slot, reset again afterwards."""
    embedded_policy.reset_adapter()
    yield embedded_policy
    embedded_policy.reset_adapter()


def my_sandboxes(client) -> list:
    """Sandbox containers this test process owns (none should outlive a run)."""
    from sandbox.docker_sandbox import LABEL, OWNER_LABEL

    owner = f"{socket.gethostname()}:{os.getpid()}"
    return [c for c in client.containers.list(all=True, filters={"label": LABEL})
            if c.labels.get(OWNER_LABEL) == owner]
