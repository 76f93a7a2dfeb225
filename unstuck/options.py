"""Command-line options that several commands share (``run``, ``config``, ``ci``, ``tui``, ``lsp``),
and how they become settings: each flag overrides the repo's ``[tool.unstuck]``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .errors import UsageError

if TYPE_CHECKING:
    from .config import Effective

Repo = Annotated[Path, typer.Option(help="The repo to work on (never written unless you apply the patch)")]
Check = Annotated[str | None, typer.Option(help="Shell command that passes when the task is done")]
Goal = Annotated[str | None, typer.Option(help="What to achieve, in words")]
Setup = Annotated[str | None, typer.Option(help="Installs the repo's dependencies, once (default: detected from "
                                                 "pyproject.toml / setup.py / requirements*.txt; '' for none)")]
AllowTestEdits = Annotated[bool, typer.Option("--allow-test-edits", help="Let the agent change test files")]
Model = Annotated[str | None, typer.Option(help="embedded, a model folder, or a hub id")]
SandboxKind = Annotated[str | None, typer.Option("--sandbox", help="docker (isolated) or local (NOT isolated)")]
MaxSteps = Annotated[int | None, typer.Option(help="Model turns before giving up")]
MaxSeconds = Annotated[float | None, typer.Option(help="Wall-clock budget in seconds")]
MaxTokens = Annotated[int | None, typer.Option(help="Tokens the model may generate in the run")]
Strategy = Annotated[str | None, typer.Option(help="retry, reflect, learn or sample")]
NoLearn = Annotated[bool, typer.Option("--no-learn", help="Nudge and reflect only; no weight updates")]
Assignments = Annotated[list[str] | None, typer.Option("--set", help="Any setting, e.g. --set stuck.repeated-errors=2 "
                                                                      "(see `unstuck config`)")]
AllowNonGit = Annotated[bool, typer.Option("--allow-non-git", help="Accept a folder that is not a git repository")]
AllowLarge = Annotated[bool, typer.Option("--allow-large", help="Accept a repo far larger than a coding task")]
MemoryFile = Annotated[Path | None, typer.Option("--memory", help="Memory file (default: in the user data dir)")]
NoMemory = Annotated[bool, typer.Option("--no-memory", help="Neither recall nor record anything")]


def effective_settings(
    repo: Path, *, check: str | None = None, goal: str | None = None, setup: str | None = None,
    allow_test_edits: bool = False, model: str | None = None,
    sandbox: str | None = None, max_steps: int | None = None, max_seconds: float | None = None,
    max_tokens: int | None = None, strategy: str | None = None, no_learn: bool = False,
    assignments: list[str] | None = None, allow_non_git: bool = False, allow_large: bool = False,
) -> Effective:
    """Defaults, then ``repo``'s ``[tool.unstuck]``, then these flags (only those given)."""
    from .config import load_settings, parse_assignment

    flags: dict[str, tuple[Any, str]] = {}
    for assignment in assignments or []:
        name, value = parse_assignment(assignment)
        flags[name] = (value, f"--set {assignment.split('=', 1)[0]}")
    given = {
        "task.check": (check, "--check"), "task.goal": (goal, "--goal"), "task.setup": (setup, "--setup"),
        "agent.allow_test_edits": (allow_test_edits or None, "--allow-test-edits"), "model.model": (model, "--model"),
        "sandbox.kind": (sandbox, "--sandbox"), "agent.max_steps": (max_steps, "--max-steps"),
        "agent.max_seconds": (max_seconds, "--max-seconds"), "agent.max_tokens": (max_tokens, "--max-tokens"),
        "agent.strategy": (strategy or ("reflect" if no_learn else None), "--strategy" if strategy else "--no-learn"),
        "repo.allow_non_git": (allow_non_git or None, "--allow-non-git"),
        "repo.allow_large": (allow_large or None, "--allow-large"),
    }
    flags.update({name: pair for name, pair in given.items() if pair[0] is not None})
    if not repo.is_dir():
        raise UsageError(f"--repo {repo} is not a directory")
    return load_settings(repo, flags)
