"""``LocalSandbox``: a temporary copy of the repo, commands run with subprocess. NOT isolated.

An explicit opt-in for machines without Docker: commands run as the current user with full
network and file access. The user's repo is still only read; changes land in the copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from .base import CANCEL_POLL, DEFAULT_TIMEOUT, CappedOutput, RunResult, check_command, decode_text, workspace_relative
from .errors import PatchError, PathEscape, SandboxError
from .snapshot import GIT_APPLY, GIT_BASELINE, GIT_DIFF, GIT_RESET, PATCH_FILE, repo_files

NOT_ISOLATED_WARNING = "local sandbox: commands run on this machine as you, NOT isolated"


class LocalSandbox:
    """A repo copy in a temporary folder; same API as ``DockerSandbox``, no isolation."""

    isolated = False

    def __init__(self, repo: str | Path) -> None:
        self.repo = Path(repo).resolve()
        if not self.repo.is_dir():
            raise SandboxError(f"repo {repo} is not a directory")
        self._tmp = tempfile.TemporaryDirectory(prefix="unstuck-local-")
        self.root = Path(self._tmp.name) / "workspace"
        self.root.mkdir()
        for name in repo_files(self.repo):
            source, target = self.repo / name, self.root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target)
        self._git(GIT_BASELINE, "record the repo's starting state")
        self.tools = Path(self._tmp.name) / "tools"  # unstuck's pytest plugin, importable by the check
        self.tools.mkdir()
        shutil.copy2(Path(__file__).with_name("unstuck_facts.py"), self.tools / "unstuck_facts.py")

    def run(
        self, command: str, timeout: float = DEFAULT_TIMEOUT, *, env: Mapping[str, str] | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Run ``command`` with bash in the copy; its whole process group ends with it (or on ``cancel``)."""
        check_command(command)
        out, start = CappedOutput(), time.monotonic()
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.tools), environment.get("PYTHONPATH")]))
        process = subprocess.Popen(
            ["bash", "-c", command], cwd=self.root, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=environment,
        )

        def pump() -> None:
            for chunk in iter(lambda: process.stdout.read1(65536), b""):
                out.feed(chunk)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        timed_out = cancelled = False
        deadline = start + timeout
        try:
            while True:
                try:
                    process.wait(min(CANCEL_POLL, max(deadline - time.monotonic(), 0.001)))
                    break
                except subprocess.TimeoutExpired:
                    if cancel is not None and cancel.is_set():
                        cancelled = True
                        break
                    if time.monotonic() >= deadline:
                        timed_out = True
                        break
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            reader.join(1.0)
        code = 137 if (timed_out or cancelled) else process.returncode
        return RunResult(code if code >= 0 else 128 - code, out.text(), timed_out, time.monotonic() - start, out.cut,
                         cancelled)

    def _resolve(self, path: str) -> Path:
        target = (self.root / workspace_relative(path)).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise PathEscape(f"path {path!r} leads outside the workspace")
        return target

    def read_file(self, path: str) -> str:
        target = self._resolve(path)
        if target.is_dir():
            raise IsADirectoryError(f"not a regular file: {path}")
        if not target.exists():
            raise FileNotFoundError(f"no such file in the workspace: {path}")
        return decode_text(target.read_bytes())

    def write_file(self, path: str, text: str) -> None:
        target = self._resolve(path)
        if target.is_dir():
            raise IsADirectoryError(f"not a regular file: {path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))

    def apply_patch(self, patch: str) -> None:
        if not patch.strip():
            return
        (self.root / PATCH_FILE).write_text(patch, encoding="utf-8")
        result = subprocess.run(["bash", "-c", GIT_APPLY], cwd=self.root, capture_output=True, check=False)
        if result.returncode != 0:
            message = (decode_text(result.stderr or result.stdout).strip().splitlines() or ["no output"])[0]
            raise PatchError(f"the patch does not apply: {message}")

    def diff(self) -> str:
        return self._git(GIT_DIFF, "diff")

    def reset(self) -> None:
        self._git(GIT_RESET, "reset")

    def _git(self, script: str, doing: str) -> str:
        result = subprocess.run(["bash", "-c", script], cwd=self.root, capture_output=True, check=False)
        if result.returncode != 0:
            raise SandboxError(f"could not {doing} in the local sandbox: {decode_text(result.stderr).strip()[-300:]}")
        return decode_text(result.stdout)

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> LocalSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
