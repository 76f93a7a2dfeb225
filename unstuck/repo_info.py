"""What a surface shows about a repo: its name, branch and whether it has uncommitted changes."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RepoInfo:
    path: Path
    name: str
    branch: str | None
    """None outside a git repository (or on a detached head)."""
    changes: int
    """Uncommitted changes (``git status --porcelain`` lines); 0 outside git."""
    is_git: bool

    def describe(self) -> str:
        if not self.is_git:
            return f"{self.name} (not a git repository)"
        state = "clean" if not self.changes else f"{self.changes} uncommitted change(s)"
        return f"{self.name} ({self.branch or 'detached'}, {state})"


def describe_repo(path: Path) -> RepoInfo:
    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=False)

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return RepoInfo(path, path.name, None, 0, False)
    branch = git("symbolic-ref", "--short", "-q", "HEAD").stdout.strip() or None
    status = git("status", "--porcelain", "--", ".").stdout.strip()
    return RepoInfo(path, path.name, branch, len(status.splitlines()) if status else 0, True)
