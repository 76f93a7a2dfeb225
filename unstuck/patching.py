"""Applying a run's patch to the user's repo: only on request, only onto the tree the run saw,
and all or nothing (``git apply`` is atomic without ``--reject``)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from sandbox.snapshot import repo_files

from .errors import UsageError


def tree_state(repo: Path) -> dict[str, str]:
    """A hash of every file the sandbox copies (to notice changes made during a run)."""
    state = {}
    for name in repo_files(repo):
        path = repo / name
        state[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "link"
    return state


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def dirty_reason(repo: Path) -> str | None:
    """Why the repo may not be patched (uncommitted changes in its git work tree), or None."""
    inside = _git(repo, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return None
    status = _git(repo, "status", "--porcelain", "--", ".")
    if status.returncode == 0 and status.stdout.strip():
        count = len(status.stdout.strip().splitlines())
        return f"{repo} has {count} uncommitted change(s); commit or stash them, or drop --apply"
    return None


def apply_patch(repo: Path, patch: str, before: dict[str, str]) -> None:
    """Apply ``patch`` to ``repo`` atomically, refusing if the repo changed since ``before``."""
    if not patch.strip():
        return
    if tree_state(repo) != before:
        raise UsageError(f"{repo} changed while unstuck was running; the patch was not applied")
    with tempfile.NamedTemporaryFile("w", suffix=".patch", delete=False, encoding="utf-8") as handle:
        handle.write(patch)
    try:
        # Outside a git work tree root, stop git from finding an enclosing repo: paths stay
        # relative to ``repo``.
        toplevel = _git(repo, "rev-parse", "--show-toplevel").stdout.strip()
        env = dict(os.environ)
        if not toplevel or Path(toplevel).resolve() != repo.resolve():
            env["GIT_CEILING_DIRECTORIES"] = str(repo.resolve().parent)
        for args in (["--check"], []):
            result = subprocess.run(["git", "apply", "--whitespace=nowarn", *args, handle.name], cwd=repo,
                                    capture_output=True, text=True, env=env, check=False)
            if result.returncode != 0:
                raise UsageError(f"the patch does not apply to {repo}: {result.stderr.strip().splitlines()[0]}")
    finally:
        os.unlink(handle.name)
