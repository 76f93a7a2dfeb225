"""A task — a repo, a goal, a check — and the sanity checks on the repo before any work starts."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

DEFAULT_CHECK = "python -m pytest -q -p no:cacheprovider"
DEFAULT_GOAL = "Make the failing tests pass."


@dataclass
class Task:
    """A repo, what to achieve, and the shell command that says whether it is achieved."""

    repo: Path
    goal: str = DEFAULT_GOAL
    check: str = DEFAULT_CHECK
    patch: str = ""
    """Earlier work to continue from: applied in the sandbox before the first check (the run's
    patch then holds it too). The repo itself is still never written."""
    setup: str | None = None
    """How the repo's dependencies are installed (once, cached): a shell line, None to detect it from
    pyproject.toml / setup.py / requirements*.txt, or "" for no setup."""


@dataclass(frozen=True)
class RepoLimits:
    """What counts as a repo of a coding task (a folder past these is refused unless allowed)."""

    max_files: int = 20_000
    """Files copied into the sandbox."""
    max_megabytes: float = 500.0
    """Their total size."""
    allow_non_git: bool = False
    """Accept a folder that is not a git repository (all of it is copied)."""
    allow_large: bool = False
    """Accept a repo past ``max_files`` or ``max_megabytes``."""


def is_git_work_tree(folder: Path) -> bool:
    done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                          capture_output=True, text=True, check=False)
    return done.returncode == 0 and done.stdout.strip() == "true"


def check_repo(repo: Path, limits: RepoLimits = RepoLimits()) -> None:
    """Refuse, with one line (exit 2), a folder that is no repo or far larger than a coding task."""
    if not repo.is_dir():
        raise UsageError(f"--repo {repo} is not a directory")
    if not limits.allow_non_git and not is_git_work_tree(repo):
        raise UsageError(f"{repo} is not a git repository; unstuck copies a repo into its sandbox "
                         "(pass --allow-non-git to copy the whole folder anyway)")
    if limits.allow_large:
        return
    files, size = _measure(repo, limits.max_files, limits.max_megabytes * 1024 * 1024)
    if files > limits.max_files or size > limits.max_megabytes * 1024 * 1024:
        raise UsageError(f"{repo} holds more than {limits.max_files} files or {limits.max_megabytes:g} MB — "
                         "far more than a coding task; pass --allow-large to copy it anyway")


def _measure(repo: Path, max_files: int, max_bytes: float) -> tuple[int, int]:
    """(files, bytes) that a sandbox would copy, counting only until either limit is passed."""
    from sandbox.snapshot import SKIP_DIRS, repo_files

    if (repo / ".git").exists():
        names = repo_files(repo)
        size = 0
        for count, name in enumerate(names, 1):
            size += _size(repo / name)
            if count > max_files or size > max_bytes:
                return count, size
        return len(names), size
    count = size = 0
    for root, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in names:
            count += 1
            size += _size(Path(root) / name)
            if count > max_files or size > max_bytes:
                return count, size
    return count, size


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return 0
