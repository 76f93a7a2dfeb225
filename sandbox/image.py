"""The sandbox image: built from the top-level ``Dockerfile``, tagged by a hash of its inputs.

Where the registry base (``python:3.12-slim``) cannot be pulled, a Debian base is bootstrapped
with ``debootstrap`` from the mirror the machine's apt sources name and ``docker import``-ed.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors

from .errors import ImageError, first_line

REGISTRY_BASE = "python:3.12-slim"
IMAGE_REPO = "unstuck-sandbox"
BOOTSTRAP_REPO = "unstuck-base"
BOOTSTRAP_SUITE = "bookworm"
BOOTSTRAP_PACKAGES = "python3,python3-venv,python3-pytest,git,ca-certificates"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
LABEL = "unstuck.image"

Say = Callable[[str], None]


def dockerfile_path() -> Path:
    """The Dockerfile: the checkout's top level, or the copy packaged inside ``sandbox/``."""
    for candidate in (Path(__file__).parent.parent / "Dockerfile", Path(__file__).with_name("Dockerfile")):
        if candidate.is_file():
            return candidate
    raise ImageError("the sandbox Dockerfile is missing from this installation")


def plugin_path() -> Path:
    """unstuck's pytest plugin, copied into the image (``Dockerfile``: ``COPY unstuck_facts.py``)."""
    return Path(__file__).with_name("unstuck_facts.py")


def image_tag() -> str:
    """``unstuck-sandbox:<hash>``, the hash covering every input of the build."""
    digest = hashlib.sha256(dockerfile_path().read_bytes() + b"\0" + plugin_path().read_bytes()).hexdigest()[:12]
    return f"{IMAGE_REPO}:{digest}"


def bootstrap_tag() -> str:
    digest = hashlib.sha256(f"{BOOTSTRAP_SUITE}|{BOOTSTRAP_PACKAGES}".encode()).hexdigest()[:12]
    return f"{BOOTSTRAP_REPO}:{BOOTSTRAP_SUITE}-{digest}"


def has_image(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def ensure_image(client: docker.DockerClient, say: Say = print, base: str | None = None) -> str:
    """Return the tag of a ready sandbox image, building it (and its base) only when missing."""
    tag = image_tag()
    if has_image(client, tag):
        return tag
    base = base or _pullable_base(client, say) or ensure_bootstrap_base(client, say)
    say(f"building sandbox image {tag} on {base}…")
    _build(client, tag, base)
    say(f"built {tag}")
    return tag


def _pullable_base(client: docker.DockerClient, say: Say) -> str | None:
    if has_image(client, REGISTRY_BASE):
        return REGISTRY_BASE
    say(f"pulling {REGISTRY_BASE}…")
    try:
        client.images.pull(REGISTRY_BASE)
    except docker.errors.APIError as error:
        say(f"cannot pull {REGISTRY_BASE} ({first_line(error)}); bootstrapping a Debian base instead")
        return None
    return REGISTRY_BASE


def apt_mirror(sources: Path = Path("/etc/apt")) -> str:
    """The Debian mirror the machine's apt sources name, or deb.debian.org."""
    files = [sources / "sources.list", *sorted((sources / "sources.list.d").glob("*"))]
    for file in files:
        try:
            text = file.read_text()
        except OSError:
            continue
        for match in re.finditer(r"(https?://\S+/debian)/?(\s|$)", text):
            return match.group(1)
    return DEFAULT_MIRROR


def ensure_bootstrap_base(client: docker.DockerClient, say: Say = print) -> str:
    """Bootstrap a minimal Debian with debootstrap and import it as a base image (once)."""
    tag = bootstrap_tag()
    if has_image(client, tag):
        return tag
    debootstrap = shutil.which("debootstrap") or _install_debootstrap(say)
    mirror = apt_mirror()
    with tempfile.TemporaryDirectory(prefix="unstuck-debootstrap-") as tmp:
        root = Path(tmp) / "root"
        say(f"debootstrap {BOOTSTRAP_SUITE} from {mirror} (once, about a minute)…")
        cmd = [debootstrap, "--variant=minbase", f"--include={BOOTSTRAP_PACKAGES}",
               BOOTSTRAP_SUITE, str(root), mirror]
        _run_or_fail(cmd, "debootstrap failed")
        archive = Path(tmp) / "root.tar"
        _run_or_fail(["tar", "-C", str(root), "-cf", str(archive), "."], "packing the base failed")
        say(f"importing {tag}…")
        repo, _, version = tag.partition(":")
        try:
            client.api.import_image_from_file(str(archive), repository=repo, tag=version)
        except docker.errors.APIError as error:
            raise ImageError(f"docker import of the base failed: {first_line(error)}") from error
    return tag


def _install_debootstrap(say: Say) -> str:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise ImageError(
            f"cannot pull {REGISTRY_BASE} and debootstrap is missing; "
            "install debootstrap (or give Docker registry access) and retry"
        )
    say("installing debootstrap with apt-get…")
    _run_or_fail(["apt-get", "update", "-qq"], "apt-get update failed")
    _run_or_fail(["apt-get", "install", "-y", "-qq", "debootstrap"], "apt-get install debootstrap failed")
    path = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    if not Path(path).exists():
        raise ImageError("debootstrap was installed but cannot be found")
    return path


def _build(client: docker.DockerClient, tag: str, base: str) -> None:
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        tar.add(dockerfile_path(), arcname="Dockerfile")
        tar.add(plugin_path(), arcname="unstuck_facts.py")
    context.seek(0)
    try:
        for chunk in client.api.build(
            fileobj=context, custom_context=True, tag=tag, buildargs={"BASE": base},
            labels={LABEL: "1"}, rm=True, forcerm=True, decode=True,
        ):
            if "error" in chunk:
                raise ImageError(f"building {tag} failed: {chunk['error'].strip()}")
    except docker.errors.APIError as error:
        raise ImageError(f"building {tag} failed: {first_line(error)}") from error


def _run_or_fail(cmd: list[str], what: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ImageError(f"{what}: {tail[0]}")

