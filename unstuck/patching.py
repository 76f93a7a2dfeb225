"""Applying a run's patch to the user's repo: only on request, only onto the tree the run saw,
and all or nothing (``git apply`` is atomic without ``--reject``)."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sandbox.snapshot import repo_files

from .errors import UsageError


def changed_hunks(old: Sequence[str], new: Sequence[str]) -> Iterator[tuple[int, int, int, int]]:
    """``(i1, i2, j1, j2)`` for each run of lines where ``new[j1:j2]`` replaces ``old[i1:i2]`` (an
    insertion has ``i1 == i2``); difflib without its junk heuristic, so every line counts."""
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            yield i1, i2, j1, j2


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


_FILE_HEADER = re.compile(r"^diff --git a/(.+?) b/(.+?)$", re.M)


def split_patch(patch: str) -> list[tuple[str, str]]:
    """(path, its section) for every file a git patch changes, in order."""
    starts = list(_FILE_HEADER.finditer(patch))
    return [(m.group(2), patch[m.start():starts[i + 1].start() if i + 1 < len(starts) else len(patch)])
            for i, m in enumerate(starts)]


def without_files(patch: str, drop: Callable[[str], bool]) -> tuple[str, list[str]]:
    """``patch`` without the files ``drop`` says to leave out, and the paths left out."""
    kept, dropped = [], []
    for path, section in split_patch(patch):
        if drop(path):
            dropped.append(path)
        else:
            kept.append(section)
    return "".join(kept), dropped


@dataclass(frozen=True)
class PatchStats:
    files: list[str]
    added: int
    removed: int


def patch_stats(patch: str) -> PatchStats:
    added = removed = 0
    for line in patch.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return PatchStats([path for path, _ in split_patch(patch)], added, removed)
