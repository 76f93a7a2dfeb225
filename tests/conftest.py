"""Shared fixtures: a real Docker engine, small git repos, the embedded model."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


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
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    (root / "notes.txt").write_text("untracked but not ignored\n")
    (root / "secret.txt").write_text("ignored\n")
    return root


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file's bytes (``.git`` included) and ``git status``: what must never change."""
    files = {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}
    files["<git status>"] = git(repo, "status", "--porcelain", "--ignored").encode()
    return files
