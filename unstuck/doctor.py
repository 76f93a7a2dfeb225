"""``unstuck doctor``: what is ready, what is not, and the command that fixes each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str
    optional: bool = False


def check_engine() -> tuple[Check, object | None]:
    from sandbox.docker_sandbox import engine_client
    from sandbox.errors import EngineUnavailable

    try:
        client = engine_client(timeout=5)
    except EngineUnavailable as error:
        return Check("Docker engine", False, str(error), "make docker  (or start Docker)"), None
    version = client.version().get("Version", "?")
    return Check("Docker engine", True, f"Docker {version}", ""), client


def check_image(client: object | None) -> Check:
    from sandbox.image import has_image, image_tag

    tag = image_tag()
    if client is None:
        return Check("sandbox image", False, f"{tag}: no engine to ask", "unstuck sandbox build")
    ready = has_image(client, tag)  # type: ignore[arg-type]
    return Check("sandbox image", ready, tag if ready else f"{tag} not built", "unstuck sandbox build")


def check_model() -> Check:
    from .errors import ModelUnavailable
    from .models import INSTALL_HINT, embedded_cache_dir, embedded_gguf, embedded_is_cached

    try:
        embedded_gguf()
    except ModelUnavailable as error:
        return Check("embedded model", False, str(error), INSTALL_HINT)
    if embedded_is_cached():
        return Check("model cache", True, str(embedded_cache_dir()), "")
    return Check("model cache", False, "embedded model not converted yet", "unstuck model prepare")


def check_gpu() -> Check:
    try:
        import torch
    except ImportError:
        return Check("GPU", False, "torch is not installed", "make install", optional=True)
    if torch.cuda.is_available():
        return Check("GPU", True, torch.cuda.get_device_name(0), "")
    return Check("GPU", False, f"none; updates run on the CPU (torch {torch.__version__})",
                 "optional: a CUDA build of torch on a machine with an NVIDIA GPU", optional=True)


def run_checks() -> list[Check]:
    engine, client = check_engine()
    return [engine, check_image(client), check_model(), check_gpu()]


def blocking_problems(repo: Path, model: str, repo_limits: object | None = None) -> list[Check]:
    """What stops a run on ``repo`` before it starts (a missing image or model cache does not: the
    first run builds or converts it). Empty when a run can start."""
    from .errors import UsageError
    from .models import EMBEDDED
    from .task import RepoLimits, check_repo

    problems = []
    try:
        check_repo(repo, repo_limits if isinstance(repo_limits, RepoLimits) else RepoLimits())
    except UsageError as error:
        problems.append(Check("repo", False, str(error), "start unstuck in a git repository, or pass --repo DIR"))
    engine, _client = check_engine()
    if not engine.ok:
        problems.append(engine)
    if model == EMBEDDED:
        embedded = check_model()
        if not embedded.ok and embedded.name == "embedded model":
            problems.append(embedded)
    return problems
