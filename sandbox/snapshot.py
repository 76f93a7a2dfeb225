"""Which files of the user's repo go into a sandbox, and the git baseline made from them.

Tracked files and untracked files git does not ignore, as they are in the working tree (so
uncommitted work is included); everything when the folder is not a git repo, ``.git`` excepted.
The repo itself is only ever read.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".venv", "venv"}

GIT = "git -c user.name=unstuck -c user.email=unstuck@localhost -c init.defaultBranch=main"
IGNORED_NOISE = "__pycache__/\n*.pyc\n.pytest_cache/\n"
# One shell line each, run inside the sandbox's workspace.
GIT_BASELINE = (
    f"{GIT} init -q . && printf '{IGNORED_NOISE}' >> .git/info/exclude"
    f" && {GIT} add -A && {GIT} commit -q --allow-empty --no-verify -m baseline"
)
GIT_DIFF = f"{GIT} add -A && {GIT} diff --cached --binary --no-color --no-ext-diff"
GIT_RESET = f"{GIT} reset -q --hard && {GIT} clean -qfdx"
PATCH_FILE = ".git/unstuck.patch"
"""Where a patch to apply is put: inside ``.git``, so it never shows in a diff."""
GIT_APPLY = f"{GIT} apply --whitespace=nowarn {PATCH_FILE}; rc=$?; rm -f {PATCH_FILE}; exit $rc"


def repo_files(repo: Path) -> list[str]:
    """Relative paths (POSIX) of the files to copy, sorted."""
    if (repo / ".git").exists():
        listed = subprocess.run(
            ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, check=False,
        )
        if listed.returncode == 0:
            names = {n for n in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if n}
            return sorted(n for n in names if os.path.lexists(repo / n))
    found = []
    for root, dirs, files in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in files:
            found.append((Path(root) / name).relative_to(repo).as_posix())
    return sorted(found)


def repo_tar(repo: Path, uid: int = 1000, gid: int = 1000, prefix: str = "") -> bytes:
    """The repo's files as an uncompressed tar owned by ``uid``/``gid`` (under ``prefix/`` when given);
    symlinks stay links."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs_added: set[str] = set()
        for name in (f"{prefix}/{n}" if prefix else n for n in repo_files(repo)):
            parts = name.split("/")
            for depth in range(1, len(parts)):
                parent = "/".join(parts[:depth])
                if parent not in dirs_added:
                    dirs_added.add(parent)
                    tar.addfile(_owned(tarfile.TarInfo(parent), uid, gid, tarfile.DIRTYPE, 0o755))
            source = repo / (name[len(prefix) + 1:] if prefix else name)
            info = tar.gettarinfo(str(source), arcname=name)
            _owned(info, uid, gid, info.type, info.mode)
            if info.isreg():
                with open(source, "rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    return buffer.getvalue()


def _owned(info: tarfile.TarInfo, uid: int, gid: int, kind: bytes, mode: int) -> tarfile.TarInfo:
    info.uid, info.gid, info.uname, info.gname = uid, gid, "", ""
    info.type, info.mode = kind, mode
    return info
