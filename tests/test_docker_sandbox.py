"""The Docker sandbox's guarantees, each against the real engine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import docker
import pytest

from sandbox import DockerSandbox, EngineUnavailable, PathEscape
from sandbox.docker_sandbox import LABEL, OWNER_LABEL, gc
from tests.conftest import snapshot


@pytest.fixture
def box(repo, sandbox_image, docker_client):
    with DockerSandbox(repo, image=sandbox_image, client=docker_client) as sandbox:
        yield sandbox


def test_runs_the_repos_check_and_reports_its_exit_code(box):
    result = box.run("python -m pytest -q")
    assert result.exit_code == 1
    assert "assert -1 == 3" in result.output
    assert not result.timed_out and result.duration > 0


def test_container_is_locked_down(box):
    host = box.container.attrs["HostConfig"]
    assert host["NetworkMode"] == "none"
    assert host["CapDrop"] == ["ALL"]
    assert "no-new-privileges" in host["SecurityOpt"]
    assert host["ReadonlyRootfs"] is True
    assert host["Memory"] == 1024**3 and host["PidsLimit"] == 256 and host["NanoCpus"] == 10**9
    assert box.run("id -u").output.strip() == "1000"
    assert box.run("touch /usr/x").exit_code != 0, "the root filesystem must be read-only"
    assert box.run("touch /tmp/x && touch /workspace/x").exit_code == 0
    net = box.run("python3 -c \"import socket; socket.create_connection(('1.1.1.1', 53), timeout=2)\"")
    assert net.exit_code != 0


def test_limits_can_be_overridden(repo, sandbox_image, docker_client):
    with DockerSandbox(repo, image=sandbox_image, client=docker_client, memory="256m", pids=64) as sb:
        host = sb.container.attrs["HostConfig"]
        assert host["Memory"] == 256 * 1024**2 and host["PidsLimit"] == 64


@pytest.mark.parametrize(
    "command",
    [
        "sleep 30",
        "while :; do :; done",
        "trap '' TERM; while :; do sleep 0.1; done",
        "bomb() { bomb | bomb & }; bomb; sleep 30",
        "setsid sleep 30 & sleep 30",
    ],
    ids=["sleep", "busy-loop", "ignores-sigterm", "fork-bomb", "escapes-group"],
)
def test_run_returns_within_timeout_and_the_sandbox_stays_usable(box, command):
    result = box.run(command, timeout=2)
    assert result.duration < 2 + 2, result
    assert result.timed_out
    after = box.run("echo still-here")
    assert after.exit_code == 0 and after.output == "still-here\n"


def test_memory_hog_is_killed_and_sandbox_survives(repo, sandbox_image, docker_client):
    with DockerSandbox(repo, image=sandbox_image, client=docker_client, memory="256m") as sb:
        hog = sb.run("python3 -c \"x = bytearray(1024**3); print('allocated')\"", timeout=30)
        assert hog.exit_code != 0 and "allocated" not in hog.output
        assert sb.run("echo alive").output == "alive\n"


def test_output_is_capped_head_and_tail_kept(box):
    started = time.monotonic()
    result = box.run("echo FIRST; yes | head -c 50000000; echo; echo LAST", timeout=30)
    assert time.monotonic() - started < 30
    assert result.output.startswith("FIRST")
    assert result.output.rstrip().endswith("LAST")
    assert "bytes of output cut" in result.output
    assert len(result.output) < 40_000 and result.truncated_bytes > 49_000_000


def test_endless_output_returns_promptly(box):
    result = box.run("yes", timeout=5)
    assert result.timed_out and result.duration < 7
    assert len(result.output) < 40_000


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "pkg/../../x", ".git/config"])
def test_paths_outside_the_workspace_are_refused(box, path):
    with pytest.raises(PathEscape):
        box.read_file(path)
    with pytest.raises(PathEscape):
        box.write_file(path, "x")


def test_symlinks_pointing_out_are_refused(box):
    assert box.run("ln -s /etc etc-link && ln -s /etc/passwd pw").exit_code == 0
    for path in ("etc-link/passwd", "pw"):
        with pytest.raises(PathEscape):
            box.read_file(path)
        with pytest.raises(PathEscape):
            box.write_file(path, "x")


def test_files_round_trip_binary_and_non_utf8_read_safely(box):
    box.write_file("new/dir/hello.py", "print('héllo')\n")
    assert box.read_file("new/dir/hello.py") == "print('héllo')\n"
    box.run("printf '\\xff\\xfe\\x00binary' > blob.bin")
    assert "binary" in box.read_file("blob.bin")
    with pytest.raises(FileNotFoundError):
        box.read_file("missing.py")
    with pytest.raises(IsADirectoryError):
        box.read_file("pkg")


def test_write_keeps_the_file_mode(box):
    box.write_file("run.sh", "#!/bin/sh\necho changed\n")
    assert box.run("./run.sh").output == "changed\n"
    assert "old mode" not in box.diff()


def test_diff_and_reset(box):
    assert box.diff() == ""
    box.write_file("pkg/mod.py", "def add(a, b):\n    return a + b\n")
    box.run("echo new > added.txt && rm notes.txt && python -m pytest -q")
    patch = box.diff()
    assert "+    return a + b" in patch and "added.txt" in patch and "notes.txt" in patch
    assert "__pycache__" not in patch and ".pytest_cache" not in patch
    box.reset()
    assert box.diff() == ""
    assert box.read_file("pkg/mod.py") == "def add(a, b):\n    return a - b\n"


def test_untracked_files_come_along_ignored_ones_do_not(box):
    assert box.read_file("notes.txt") == "untracked but not ignored\n"
    with pytest.raises(FileNotFoundError):
        box.read_file("secret.txt")


def test_the_users_repo_is_never_modified(repo, sandbox_image, docker_client):
    before = snapshot(repo)
    with DockerSandbox(repo, image=sandbox_image, client=docker_client) as sb:
        sb.write_file("pkg/mod.py", "broken(")
        sb.run("rm -rf pkg notes.txt; git commit -qam x; git checkout -qb other; echo > new.txt")
        sb.diff()
        sb.reset()
    assert snapshot(repo) == before


def _ours(client):
    owner = f"{os.uname().nodename}:{os.getpid()}"
    return [c for c in client.containers.list(all=True, filters={"label": LABEL})
            if c.labels.get(OWNER_LABEL) == owner]


def test_no_leftovers_after_exit_exception_and_ctrl_c(repo, sandbox_image, docker_client):
    with DockerSandbox(repo, image=sandbox_image, client=docker_client) as sb:
        name = sb.name
    for error in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(error)), DockerSandbox(repo, image=sandbox_image, client=docker_client):
            raise error
    assert _ours(docker_client) == []
    assert name not in [v.name for v in docker_client.volumes.list()]


def test_gc_removes_what_a_killed_process_left(repo, sandbox_image, docker_client):
    script = (
        "import sys, time; from sandbox import DockerSandbox; "
        f"sb = DockerSandbox({str(repo)!r}, image={sandbox_image!r}); print(sb.name, flush=True); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    name = child.stdout.readline().strip()
    assert name.startswith("unstuck-")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert docker_client.containers.get(name)  # left behind by the kill
    gc(docker_client)
    with pytest.raises(docker.errors.NotFound):
        docker_client.containers.get(name)
    assert name not in [v.name for v in docker_client.volumes.list()]


def test_engine_gone_mid_run_is_one_clear_line(box):
    box.client = docker.DockerClient(base_url="unix:///tmp/unstuck-no-engine.sock", version="1.41")
    with pytest.raises(EngineUnavailable) as caught:
        box.run("true")
    assert "\n" not in str(caught.value) and "Docker engine" in str(caught.value)
