"""``DockerSandbox``: one long-lived, locked-down container per episode, the repo in a volume."""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import posixpath
import socket
import tarfile
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path

import docker
import docker.errors
import requests

from .base import (
    CANCEL_POLL,
    DEFAULT_TIMEOUT,
    CappedOutput,
    Limits,
    RunResult,
    check_command,
    decode_text,
    workspace_relative,
)
from .errors import EngineUnavailable, PatchError, PathEscape, SandboxError, first_line
from .image import Say, ensure_image
from .snapshot import GIT_APPLY, GIT_BASELINE, GIT_DIFF, GIT_RESET, PATCH_FILE, repo_tar

WORKSPACE = "/workspace"
USER = "1000:1000"
LABEL = "unstuck.sandbox"
OWNER_LABEL = "unstuck.owner"
WATCHDOG_GRACE = 1.0
MAX_FILE_BYTES = 8 * 1024 * 1024

# Resolve a workspace path inside the container (symlinks included) and refuse what leaves it.
_RESOLVE = (
    'p=$(realpath -m -- "$1") || exit 45; case "$p" in /workspace/*) ;; *) exit 45;; esac; '
)
_READ = _RESOLVE + '[ -e "$p" ] || exit 44; [ -f "$p" ] || exit 46; head -c {limit} -- "$p"'
_PREPARE_WRITE = (
    _RESOLVE + '[ ! -e "$p" ] || [ -f "$p" ] || exit 46; mkdir -p -- "${p%/*}" || exit 47; '
    'printf "%s\\n" "$p"; stat -c %a -- "$p" 2>/dev/null || echo 644'
)

# Run a user command under an in-container timeout in its own process group (its id in a file, so a
# cancel can kill the group), then kill whatever it left behind in that group (background jobs,
# fork bombs) so the next command starts clean.
_RUN = (
    'timeout -s KILL "$1" bash -c "$2" </dev/null & pid=$!; echo $pid > "$3"; wait $pid; rc=$?; '
    'while kill -KILL -$pid 2>/dev/null; do :; done; rm -f "$3"; exit $rc'
)
_KILL = 'kill -KILL -"$(cat "$1")" 2>/dev/null; rm -f "$1"'


_live: weakref.WeakSet[DockerSandbox] = weakref.WeakSet()


def engine_client(timeout: int = 30) -> docker.DockerClient:
    """A docker-py client to an engine that answers, or ``EngineUnavailable``."""
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as error:
        raise EngineUnavailable(
            "no Docker engine answers (is dockerd running? `make docker` starts one): "
            + first_line(error)
        ) from error
    return client


@contextlib.contextmanager
def engine_errors(doing: str) -> Iterator[None]:
    """Turn a lost engine connection into one clear line."""
    try:
        yield
    except docker.errors.NotFound as error:
        raise SandboxError(f"the sandbox container is gone while {doing}: {first_line(error)}") from error
    except (OSError, requests.exceptions.ConnectionError, ConnectionError) as error:
        raise EngineUnavailable(f"the Docker engine stopped answering while {doing}") from error
    except docker.errors.APIError as error:
        raise SandboxError(f"Docker refused {doing}: {first_line(error)}") from error


class DockerSandbox:
    """A repo copy in an isolated container: no network, non-root, no capabilities, limits.

    >>> with DockerSandbox(repo=path) as sb:
    ...     sb.run("pytest -q", timeout=60).exit_code
    """

    isolated = True

    def __init__(
        self,
        repo: str | Path,
        *,
        image: str | None = None,
        client: docker.DockerClient | None = None,
        say: Say | None = None,
        **limits: object,
    ) -> None:
        self.repo = Path(repo).resolve()
        if not self.repo.is_dir():
            raise SandboxError(f"repo {repo} is not a directory")
        self.limits = Limits(**limits)  # type: ignore[arg-type]
        self.client = client or engine_client()
        self.image = image or ensure_image(self.client, say or (lambda _msg: None))
        self.name = f"unstuck-{uuid.uuid4().hex[:12]}"
        self.container = None
        self.volume = None
        self._closed = False
        _live.add(self)
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------------

    def _start(self) -> None:
        labels = {LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}:{os.getpid()}"}
        limits = self.limits
        with engine_errors("starting the sandbox"):
            self.volume = self.client.volumes.create(name=self.name, labels=labels)
            self.container = self.client.containers.create(
                self.image,
                command=["sleep", "infinity"],
                name=self.name,
                labels=labels,
                init=True,
                user=USER,
                working_dir=WORKSPACE,
                network_mode="bridge" if limits.network else "none",
                cap_drop=["ALL"],
                security_opt=["no-new-privileges"],
                mem_limit=limits.memory,
                memswap_limit=limits.memory,
                pids_limit=limits.pids,
                nano_cpus=int(limits.cpus * 1e9),
                read_only=True,
                tmpfs={"/tmp": f"rw,exec,nosuid,nodev,size={limits.tmp_size},mode=1777"},
                volumes={self.name: {"bind": WORKSPACE, "mode": "rw"}},
                environment={"HOME": "/tmp", "PYTHONPYCACHEPREFIX": "/tmp/pycache"},
            )
            self.container.start()
            self.container.put_archive(WORKSPACE, repo_tar(self.repo))
        baseline = self.run(GIT_BASELINE, timeout=120)
        if baseline.exit_code != 0:
            raise SandboxError(f"could not record the repo's starting state: {baseline.output.strip()[-300:]}")

    def close(self) -> None:
        """Remove the container and its volume. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        _live.discard(self)
        with contextlib.suppress(Exception):
            if self.container is not None:
                self.container.remove(force=True, v=True)
        with contextlib.suppress(Exception):
            if self.volume is not None:
                self.volume.remove(force=True)

    def __enter__(self) -> DockerSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- commands ----------------------------------------------------------------------------

    def run(
        self, command: str, timeout: float = DEFAULT_TIMEOUT, *, env: Mapping[str, str] | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Run ``command`` with bash in the workspace; returns within ``timeout`` + 2 s, and within a
        fraction of a second of ``cancel`` being set (the command is killed)."""
        check_command(command)
        pid_file = f"/tmp/.unstuck-run-{uuid.uuid4().hex[:12]}"
        argv = ["sh", "-c", _RUN, "sh", f"{timeout:g}", command, pid_file]
        api, out, failure = self.client.api, CappedOutput(), []
        start = time.monotonic()
        with engine_errors("running a command"):
            exec_id = api.exec_create(self.container.id, argv, user=USER, workdir=WORKSPACE,
                                      environment=dict(env) if env else None)["Id"]
            stream = api.exec_start(exec_id, stream=True)
        finished = threading.Event()

        def pump() -> None:
            try:
                for chunk in stream:
                    out.feed(chunk)
            except Exception as error:  # noqa: BLE001 - reported below, on the caller's thread
                failure.append(error)
            finally:
                finished.set()

        threading.Thread(target=pump, daemon=True, name=f"{self.name}-output").start()
        deadline = start + timeout + WATCHDOG_GRACE
        cancelled = False
        while not finished.wait(min(CANCEL_POLL, max(deadline - time.monotonic(), 0))):
            if cancel is not None and cancel.is_set():
                cancelled = True
                self._kill(pid_file, finished)
                break
            if time.monotonic() >= deadline:
                break
        watchdog_fired = not finished.is_set()
        if watchdog_fired:
            # The command outlived its in-container timeout (e.g. it escaped the process group):
            # restart the container, which kills everything in it; the workspace volume stays.
            with engine_errors("stopping a runaway command"):
                self.container.restart(timeout=0)
            finished.wait(0.5)
        duration = time.monotonic() - start
        if failure and not watchdog_fired and not cancelled:
            with engine_errors("reading a command's output"):
                raise failure[0]
        exit_code = 137 if (watchdog_fired or cancelled) else self._exit_code(exec_id)
        timed_out = not cancelled and (watchdog_fired or (exit_code in (124, 137) and duration >= timeout))
        return RunResult(exit_code, out.text(), timed_out, duration, out.cut, cancelled)

    def _kill(self, pid_file: str, finished: threading.Event) -> None:
        """Kill a running command's process group; it should end at once (else the watchdog restarts)."""
        with contextlib.suppress(SandboxError):
            self._exec(_KILL, pid_file)
        finished.wait(1.0)

    def _exit_code(self, exec_id: str) -> int:
        with engine_errors("reading a command's exit code"):
            for _ in range(50):
                code = self.client.api.exec_inspect(exec_id).get("ExitCode")
                if code is not None:
                    return int(code)
                time.sleep(0.01)
        return -1

    def _exec(self, script: str, *args: str) -> tuple[int, bytes, bytes]:
        """Run a short internal script (not user input) and return code, stdout, stderr."""
        with engine_errors("talking to the sandbox"):
            api = self.client.api
            exec_id = api.exec_create(
                self.container.id, ["sh", "-c", script, "sh", *args], user=USER, workdir=WORKSPACE
            )["Id"]
            stdout, stderr = api.exec_start(exec_id, demux=True)
        return self._exit_code(exec_id), stdout or b"", stderr or b""

    # -- files ---------------------------------------------------------------------------------

    def read_file(self, path: str) -> str:
        """The text of a workspace file; undecodable bytes are replaced, never fatal."""
        rel = workspace_relative(path)
        code, data, _ = self._exec(_READ.format(limit=MAX_FILE_BYTES), rel)
        self._check_path_code(code, path)
        return decode_text(data)

    def write_file(self, path: str, text: str) -> None:
        """Create or replace a workspace file (parents made as needed, mode kept)."""
        rel = workspace_relative(path)
        code, out, _ = self._exec(_PREPARE_WRITE, rel)
        self._check_path_code(code, path)
        target, mode = out.decode().split("\n")[:2]
        data = text.encode("utf-8")
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            info = tarfile.TarInfo(posixpath.basename(target))
            info.size, info.mode, info.uid, info.gid = len(data), int(mode, 8), 1000, 1000
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(data))
        with engine_errors("writing a file"):
            self.container.put_archive(posixpath.dirname(target), archive.getvalue())

    def apply_patch(self, patch: str) -> None:
        """Apply a git patch to the workspace, all or nothing (``git apply`` in the container)."""
        if not patch.strip():
            return
        data = patch.encode("utf-8")
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            info = tarfile.TarInfo(posixpath.basename(PATCH_FILE))
            info.size, info.mode, info.uid, info.gid, info.mtime = len(data), 0o644, 1000, 1000, int(time.time())
            tar.addfile(info, io.BytesIO(data))
        with engine_errors("putting a patch into the sandbox"):
            self.container.put_archive(posixpath.join(WORKSPACE, posixpath.dirname(PATCH_FILE)), archive.getvalue())
        code, out, err = self._exec(GIT_APPLY)
        if code != 0:
            raise PatchError(f"the patch does not apply: {first_line(Exception(decode_text(err or out)))}")

    @staticmethod
    def _check_path_code(code: int, path: str) -> None:
        if code == 45:
            raise PathEscape(f"path {path!r} leads outside the workspace")
        if code == 44:
            raise FileNotFoundError(f"no such file in the workspace: {path}")
        if code == 46:
            raise IsADirectoryError(f"not a regular file: {path}")
        if code != 0:
            raise SandboxError(f"could not access {path!r} in the sandbox (code {code})")

    # -- state ---------------------------------------------------------------------------------

    def diff(self) -> str:
        """Unified git diff of every change against the repo as it was copied in."""
        code, out, err = self._exec(GIT_DIFF)
        if code != 0:
            raise SandboxError(f"git diff failed in the sandbox: {decode_text(err).strip()[-300:]}")
        return decode_text(out)

    def reset(self) -> None:
        """Back to the starting state: tracked files restored, new files removed."""
        code, _, err = self._exec(GIT_RESET)
        if code != 0:
            raise SandboxError(f"reset failed in the sandbox: {decode_text(err).strip()[-300:]}")


def gc(client: docker.DockerClient | None = None, everything: bool = False) -> tuple[int, int]:
    """Remove sandbox containers and volumes whose owning process is gone (all of them with
    ``everything``). Returns (containers, volumes) removed."""
    client = client or engine_client()
    host = socket.gethostname()
    removed_containers = removed_volumes = 0
    with engine_errors("collecting leftover sandboxes"):
        for container in client.containers.list(all=True, filters={"label": LABEL}):
            if everything or not _owner_alive(container.labels.get(OWNER_LABEL, ""), host):
                with contextlib.suppress(docker.errors.NotFound):
                    container.remove(force=True, v=True)
                    removed_containers += 1
        for volume in client.volumes.list(filters={"label": LABEL}):
            owner = (volume.attrs.get("Labels") or {}).get(OWNER_LABEL, "")
            if everything or not _owner_alive(owner, host):
                with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
                    volume.remove(force=True)
                    removed_volumes += 1
    return removed_containers, removed_volumes


def _owner_alive(owner: str, host: str) -> bool:
    owner_host, _, pid = owner.rpartition(":")
    if owner_host != host:
        return True  # another machine's sandbox: not ours to judge
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True



@atexit.register
def _close_live_sandboxes() -> None:
    for sandbox in list(_live):
        sandbox.close()
