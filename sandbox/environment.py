"""A repo's prepared environment: its dependencies installed once into an image, reused by sandboxes.

Why this shape: sandboxes never get a network (the agent's commands must not reach the outside),
and on some hosts the engine has no network at all. So dependencies are resolved on the host
(``pip download`` into a wheelhouse) and installed offline in a setup container (``PIP_NO_INDEX``,
the wheelhouse as ``PIP_FIND_LINKS``) into a venv at ``/opt/unstuck-env`` that sees the image's
own packages. The container is committed as ``unstuck-env:<hash>``, the hash covering the
dependency files, the setup command and the base image: the next sandbox of the same repo starts
from it at once, and a changed dependency file builds a new one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from .errors import SandboxError, first_line
from .snapshot import repo_tar

ENV_REPO = "unstuck-env"
ENV_DIR = "/opt/unstuck-env"
WHEELS_DIR = "/var/tmp/unstuck-wheels"
LABEL = "unstuck.env"
SETUP_TIMEOUT = 900
RECIPE_VERSION = "2"
"""Part of the hash: a change to how environments are made rebuilds them."""
TEST_EXTRAS = ("test", "tests", "testing", "dev")
DEPENDENCY_FILES = ("pyproject.toml", "setup.py", "setup.cfg")

Say = Callable[[str], None]


class SetupFailed(SandboxError):
    """The repo's setup (downloading or installing its dependencies) failed; the message says where."""

    exit_code = 3


@dataclass(frozen=True)
class SetupPlan:
    """What to install: the command run in the setup container, and what to download for it first."""

    command: str
    """Shell line run in the setup container (its ``pip`` is the venv's, offline)."""
    requirements: tuple[str, ...] = ()
    """``-r`` files to download for."""
    project: str | None = None
    """The project to download dependencies for (``.`` or ``.[test]``), when it is a Python package."""
    build: tuple[str, ...] = ()
    """Its build backend's requirements (installing it needs them offline too)."""
    files: tuple[str, ...] = ()
    """The dependency files the environment's hash covers."""


def plan_setup(repo: Path, setup: str | None = None) -> SetupPlan | None:
    """What the repo needs installed (None: nothing). ``setup`` replaces the detected command; the
    detected downloads still happen, so a ``pip install`` in it finds its wheels offline."""
    requirements = tuple(sorted(p.name for p in repo.glob("requirements*.txt") if p.is_file()))
    files = [*requirements, *(name for name in DEPENDENCY_FILES if (repo / name).is_file())]
    project = build = None
    if (repo / "pyproject.toml").is_file() or (repo / "setup.py").is_file():
        extras = _test_extras(repo)
        project = "." + (f"[{','.join(extras)}]" if extras else "")
        build = tuple(_build_requires(repo))
    parts = [f"pip install -r {name}" for name in requirements]
    if project:
        parts.append(f"pip install -e '{project}'")
    command = setup or " && ".join(parts)
    if not command:
        return None
    return SetupPlan(command, requirements, project, build or (), tuple(files))


def environment_tag(repo: Path, plan: SetupPlan, base_image: str) -> str:
    digest = hashlib.sha256()
    for part in (RECIPE_VERSION, base_image, plan.command, *plan.build):
        digest.update(part.encode() + b"\0")
    for name in plan.files:
        digest.update(name.encode() + b"\0" + (repo / name).read_bytes() + b"\0")
    return f"{ENV_REPO}:{digest.hexdigest()[:16]}"


def prepare_environment(client: docker.DockerClient, repo: Path, base_image: str, setup: str | None = None,
                        say: Say = print) -> tuple[str, float]:
    """The image sandboxes of ``repo`` start from, and seconds spent making it (0.0 when cached)."""
    plan = plan_setup(repo, setup)
    if plan is None:
        return base_image, 0.0
    tag = environment_tag(repo, plan, base_image)
    try:
        client.images.get(tag)
        return tag, 0.0
    except docker.errors.ImageNotFound:
        pass
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="unstuck-wheels-") as wheels:
        say(f"setup: downloading the dependencies of {repo.name} on this machine…")
        download(repo, plan, Path(wheels), interpreter(client, base_image))
        say(f"setup: installing them offline in a sandbox ({plan.command})…")
        _install(client, repo, base_image, plan, Path(wheels), tag)
    seconds = time.monotonic() - started
    say(f"setup: {tag} ready in {seconds:.0f} s (cached for the next run)")
    return tag, seconds


# -- on the host ---------------------------------------------------------------------------------


def interpreter(client: docker.DockerClient, image: str) -> tuple[str, str]:
    """(``major.minor``, platform tag) of the image's Python, to download wheels that fit it."""
    script = "import sys, sysconfig; print(f'{sys.version_info[0]}.{sys.version_info[1]}', sysconfig.get_platform())"
    try:
        output = client.containers.run(image, ["python3", "-c", script], remove=True, network_mode="none",
                                       user="1000:1000")
    except docker.errors.DockerException as error:
        raise SetupFailed(f"setup: cannot ask the sandbox image for its Python: {first_line(error)}") from error
    version, platform = output.decode().split()
    return version, platform


def download(repo: Path, plan: SetupPlan, wheels: Path, target: tuple[str, str]) -> None:
    """``pip download`` on this machine everything the plan installs (for the sandbox's Python)."""
    version, platform = target
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(wheels), "--disable-pip-version-check"]
    if version != here:  # another Python in the sandbox: only wheels built for it will do
        pip += ["--only-binary=:all:", "--python-version", version,
                "--platform", platform.replace("-", "_").replace(".", "_")]
    jobs = [[*pip, "-r", str(repo / name)] for name in plan.requirements]
    if plan.project:
        jobs.append([*pip, str(repo) + plan.project[1:]])
    jobs.append([*pip, "pip", "setuptools", "wheel", *plan.build])
    for job in jobs:
        done = subprocess.run(job, capture_output=True, text=True, cwd=repo, env={**os.environ, "PIP_NO_INPUT": "1"})
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise SetupFailed(f"setup: downloading dependencies failed ({' '.join(job[4:8])}…): {last}")


def _test_extras(repo: Path) -> list[str]:
    extras: set[str] = set()
    pyproject = repo / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SetupFailed(f"setup: {pyproject} is not valid TOML: {error}") from error
        extras |= set(data.get("project", {}).get("optional-dependencies", {}))
    setup_cfg = repo / "setup.cfg"
    if setup_cfg.is_file():
        block = re.search(r"^\[options\.extras_require\]\n((?:[ \t]*\S.*\n?)*)", setup_cfg.read_text(), re.M)
        if block:
            extras |= {m.group(1) for m in re.finditer(r"^(\w[\w-]*)\s*=", block.group(1), re.M)}
    return [name for name in TEST_EXTRAS if name in extras]


def _build_requires(repo: Path) -> list[str]:
    pyproject = repo / "pyproject.toml"
    if pyproject.is_file():
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        if "build-system" in data:
            return list(data["build-system"].get("requires", []))
    return ["setuptools>=40.8.0", "wheel"]


# -- in the setup container ---------------------------------------------------------------------


def _install(client: docker.DockerClient, repo: Path, base_image: str, plan: SetupPlan, wheels: Path,
             tag: str) -> None:
    env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": WHEELS_DIR, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PATH": f"{ENV_DIR}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "VIRTUAL_ENV": ENV_DIR, "HOME": "/tmp"}
    # The wheelhouse and the repo copy stay out of the image (each sandbox copies the repo itself).
    script = (f"set -e; python3 -m venv --system-site-packages {ENV_DIR}; "
              f"pip install --quiet --upgrade pip setuptools wheel; cd /workspace; {plan.command}; "
              f"cd /; rm -rf {WHEELS_DIR} /workspace/* /workspace/.[!.]*; chown 1000:1000 /workspace")
    container = client.containers.create(
        base_image, ["sh", "-c", script], user="0:0", network_mode="none", environment=env, working_dir="/workspace",
        cap_drop=["ALL"], cap_add=["CHOWN", "DAC_OVERRIDE", "FOWNER"], security_opt=["no-new-privileges"],
        labels={LABEL: "1"}, mem_limit="2g",
    )
    try:
        container.put_archive("/", _folder_tar(wheels, WHEELS_DIR.lstrip("/")))
        container.put_archive("/", repo_tar(repo, uid=0, gid=0, prefix="workspace"))
        container.start()
        status = container.wait(timeout=SETUP_TIMEOUT)
        log = container.logs().decode("utf-8", errors="replace")
        if status.get("StatusCode") != 0:
            last = [line for line in log.strip().splitlines() if line.strip()][-1:] or ["no output"]
            raise SetupFailed(f"setup failed (exit {status.get('StatusCode')}) in `{plan.command}`: {last[0]}")
        changes = [f"ENV PATH={env['PATH']}", f"ENV VIRTUAL_ENV={ENV_DIR}", "USER sandbox", "WORKDIR /workspace",
                   'CMD ["sleep", "infinity"]', f"LABEL {LABEL}={json.dumps(plan.command)}"]
        container.commit(repository=tag.split(":")[0], tag=tag.split(":")[1], changes=changes)
    except (docker.errors.APIError, ConnectionError, OSError) as error:
        raise SetupFailed(f"setup: the Docker engine refused the setup container: {first_line(error)}") from error
    finally:
        container.remove(force=True)


def _folder_tar(folder: Path, arcname: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(folder, arcname=arcname)
    return buffer.getvalue()
