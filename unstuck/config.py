"""Settings a user can write down: ``[tool.unstuck]`` in the repo's ``pyproject.toml``; flags override.

```toml
[tool.unstuck]                 # the task, the model and the agent's budgets
check = "python -m pytest -q"
model = "embedded"
max-steps = 15

[tool.unstuck.stuck]           # when the loop counts as stuck
repeated-errors = 2

[tool.unstuck.learner]         # how an update trains and what the guard allows
steps = 20

[tool.unstuck.sandbox]         # where commands run, and its limits
memory = "2g"

[tool.unstuck.repo]            # what counts as a repo of a coding task
max-megabytes = 200
```

Keys take dashes or underscores. ``unstuck config`` prints every effective value and its source.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.base import Limits

from .agent import AgentSettings
from .errors import UsageError
from .ladder import STRATEGIES
from .learn.learner import LearnerSettings
from .models import EMBEDDED
from .task import DEFAULT_CHECK, DEFAULT_GOAL, RepoLimits

DEFAULT = "default"
PYPROJECT = "pyproject.toml"
SANDBOX_KINDS = ("docker", "local")


@dataclass
class TaskSettings:
    """What to achieve and how to tell."""

    check: str = DEFAULT_CHECK
    """Shell command that passes when the task is done (run at the repo's root in the sandbox)."""
    goal: str = DEFAULT_GOAL
    """What to achieve, in words (the model reads it)."""
    setup: str | None = None
    """Installs the repo's dependencies (once, cached as an image): a shell line run with an offline
    pip; None detects it from pyproject.toml / setup.py / requirements*.txt; "" means no setup."""


@dataclass
class ModelSettings:
    """Which model writes the code, and where it runs."""

    model: str = EMBEDDED
    """``embedded`` (SmolLM2-135M-Instruct, shipped as a wheel), a model folder, or a hub id."""
    device: str | None = None
    """``cuda``, ``cpu``…; None picks CUDA when there is a GPU."""
    dtype: str | None = None
    """``bfloat16``, ``float32``…; None picks bf16 on CUDA, fp32 on the CPU."""


@dataclass(frozen=True)
class SandboxSettings(Limits):
    """Where commands run, and the container's limits."""

    kind: str = "docker"
    """``docker`` (isolated) or ``local`` (a temporary copy, NOT isolated)."""

    def limits(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(Limits)}


@dataclass
class Settings:
    """Every setting of a run, one object per concern."""

    task: TaskSettings = field(default_factory=TaskSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    agent: AgentSettings = field(default_factory=AgentSettings)
    learner: LearnerSettings = field(default_factory=LearnerSettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    repo: RepoLimits = field(default_factory=RepoLimits)


TOP_LEVEL = ("task", "model", "agent")
"""Sections whose keys sit directly under ``[tool.unstuck]``."""
TABLES = {"stuck": "agent.stuck", "learner": "learner", "sandbox": "sandbox", "repo": "repo"}
"""Sub-tables of ``[tool.unstuck]`` and the section each sets."""


@dataclass
class Effective:
    """Settings with the source of every value: ``default``, ``pyproject.toml`` or a flag."""

    settings: Settings
    sources: dict[str, str]
    """Dotted name (``agent.max_steps``) → where its value came from."""

    def rows(self) -> list[tuple[str, Any, str]]:
        """(key as written in ``[tool.unstuck]`` or ``--set``, value, source) for every setting."""
        return [(written_key(name), value, self.sources.get(name, DEFAULT)) for name, value in _flatten(self.settings)]


def written_key(name: str) -> str:
    """``agent.max_steps`` → ``max-steps``; ``agent.stuck.repeated_errors`` → ``stuck.repeated-errors``."""
    section, _, rest = name.partition(".")
    tables = {value: key for key, value in TABLES.items()}
    for dotted, table in tables.items():
        if name.startswith(dotted + "."):
            return f"{table}.{name[len(dotted) + 1:]}".replace("_", "-")
    return (rest if section in TOP_LEVEL else name).replace("_", "-")


def load_settings(repo: Path | None = None, flags: dict[str, tuple[Any, str]] | None = None) -> Effective:
    """Defaults, then ``[tool.unstuck]`` of ``repo``'s pyproject.toml, then ``flags``
    (dotted name → (value, flag as typed)). Bad keys and values are one-line usage errors."""
    settings, sources = Settings(), {}
    table, where = _read_table(repo)
    for name, value in _table_items(table, where):
        settings = _set(settings, name, value, where)
        sources[name] = where
    for name, (value, flag) in (flags or {}).items():
        if value is None:
            continue
        settings = _set(settings, name, value, flag)
        sources[name] = flag
    _validate(settings, sources)
    return Effective(settings, sources)


def parse_assignment(text: str) -> tuple[str, Any]:
    """``--set stuck.repeated-errors=2`` → (``agent.stuck.repeated_errors``, 2); the value is TOML or a word."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--set takes KEY=VALUE (e.g. stuck.repeated-errors=2), not {text!r}")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    parts = [p.strip().replace("-", "_") for p in key.strip().split(".")]
    if len(parts) == 1:
        return _top_level_name(parts[0], f"--set {key}"), value
    section = TABLES.get(parts[0], parts[0] if parts[0] in TOP_LEVEL else None)
    if section is None:
        raise UsageError(f"--set {key}: unknown section {parts[0]!r} (one of {', '.join([*TABLES, *TOP_LEVEL])})")
    return ".".join([section, *parts[1:]]), value


# -- reading ------------------------------------------------------------------------------------------


def _read_table(repo: Path | None) -> tuple[dict[str, Any], str]:
    path = repo / PYPROJECT if repo is not None else None
    if path is None or not path.is_file():
        return {}, PYPROJECT
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} is not valid TOML: {error}") from error
    table = data.get("tool", {}).get("unstuck", {})
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.unstuck] must be a table")
    return table, f"{PYPROJECT} [tool.unstuck]"


def _table_items(table: dict[str, Any], where: str) -> list[tuple[str, Any]]:
    items = []
    for key, value in table.items():
        name = key.replace("-", "_")
        if isinstance(value, dict):
            if name not in TABLES:
                raise UsageError(f"{where}: unknown table [tool.unstuck.{key}] (one of {', '.join(TABLES)})")
            items.extend((f"{TABLES[name]}.{k.replace('-', '_')}", v) for k, v in value.items())
        else:
            items.append((_top_level_name(name, f"{where}: {key}"), value))
    return items


def _top_level_name(name: str, where: str) -> str:
    for section in TOP_LEVEL:
        if name in {f.name for f in dataclasses.fields(getattr(Settings(), section))} and name != "stuck":
            return f"{section}.{name}"
    known = sorted(f.name.replace("_", "-") for s in TOP_LEVEL for f in dataclasses.fields(getattr(Settings(), s))
                   if f.name != "stuck")
    raise UsageError(f"{where}: unknown setting (known: {', '.join(known)}; tables: {', '.join(TABLES)})")


# -- setting one value ---------------------------------------------------------------------------------


def _set(settings: Settings, name: str, value: Any, source: str) -> Settings:
    """``settings`` with the dotted ``name`` set to ``value`` (checked against the field's type)."""
    *path, leaf = name.split(".")
    objects = [settings]
    for part in path:
        if not dataclasses.is_dataclass(objects[-1]) or part not in {f.name for f in dataclasses.fields(objects[-1])}:
            raise UsageError(f"{source}: unknown setting {name.replace('_', '-')!r}")
        objects.append(getattr(objects[-1], part))
    owner = objects[-1]
    fields = {f.name: f for f in dataclasses.fields(owner)}
    if leaf not in fields or dataclasses.is_dataclass(getattr(owner, leaf)):
        raise UsageError(f"{source}: unknown setting {name.replace('_', '-')!r}")
    hint = typing.get_type_hints(type(owner))[leaf]
    updated = dataclasses.replace(owner, **{leaf: _coerce(value, hint, name, source)})
    for parent, part in zip(reversed(objects[:-1]), reversed(path), strict=True):
        updated = dataclasses.replace(parent, **{part: updated})
    return updated


def _coerce(value: Any, hint: Any, name: str, source: str) -> Any:
    """``value`` as the field's type, or a usage error that names the setting and where it was set."""
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None and type(None) in options:
        return None
    for option in options:
        origin = typing.get_origin(option) or option
        if origin is bool and isinstance(value, bool):
            return value
        if origin is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if origin is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if origin is str and isinstance(value, str):
            return value
        if origin is list and isinstance(value, list):
            return list(value)
    wanted = " or ".join(getattr(o, "__name__", str(o)) for o in options if o is not type(None))
    raise UsageError(f"{source}: {name.replace('_', '-')} must be {wanted}, not {value!r}")


def _validate(settings: Settings, sources: dict[str, str]) -> None:
    def where(name: str) -> str:
        return sources.get(name, DEFAULT)

    agent = settings.agent
    for name in ("max_steps", "max_tokens", "max_new_tokens", "max_seconds", "check_timeout", "run_timeout"):
        if getattr(agent, name) <= 0:
            raise UsageError(f"{name.replace('_', '-')} must be positive (from {where('agent.' + name)})")
    if agent.strategy not in STRATEGIES:
        raise UsageError(f"strategy must be one of {', '.join(STRATEGIES)}, not {agent.strategy!r} "
                         f"(from {where('agent.strategy')})")
    if settings.sandbox.kind not in SANDBOX_KINDS:
        raise UsageError(f"sandbox must be one of {', '.join(SANDBOX_KINDS)}, not {settings.sandbox.kind!r} "
                         f"(from {where('sandbox.kind')})")
    if settings.learner.steps < 1:
        raise UsageError(f"learner steps must be at least 1 (from {where('learner.steps')})")
    if not settings.task.check.strip():
        raise UsageError(f"the check command is empty (from {where('task.check')})")


def _flatten(obj: Any, prefix: str = "") -> list[tuple[str, Any]]:
    rows = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            rows.extend(_flatten(value, f"{prefix}{f.name}."))
        else:
            rows.append((f"{prefix}{f.name}", value))
    return rows
