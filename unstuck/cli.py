"""The ``unstuck`` command line. Heavy imports stay inside the commands: ``--help`` is instant.

Exit codes: 0 fixed/verified · 1 not fixed · 2 usage · 3 environment.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import EXIT_ENVIRONMENT, UnstuckError, UsageError

app = typer.Typer(
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="A coding agent that gets itself unstuck.",
)
sandbox_app = typer.Typer(no_args_is_help=True, help="Try commands where the agent runs them; clean up.")
model_app = typer.Typer(no_args_is_help=True, help="Prepare and inspect models.")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(model_app, name="model")


def _err(message: str) -> None:
    typer.echo(f"unstuck: {message}", err=True)


@app.command()
def doctor() -> None:
    """Say what is ready and what is not, each with the command that fixes it."""
    from rich.console import Console
    from rich.table import Table

    from .doctor import run_checks

    checks = run_checks()
    table = Table(title="unstuck doctor")
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column)
    for check in checks:
        status = "[green]ready" if check.ok else ("[yellow]optional" if check.optional else "[red]missing")
        table.add_row(check.name, status, check.detail, "" if check.ok else check.fix)
    Console().print(table)
    if not all(c.ok or c.optional for c in checks):
        raise typer.Exit(EXIT_ENVIRONMENT)


@sandbox_app.command("exec")
def sandbox_exec(
    command: Annotated[list[str], typer.Argument(help="The command, after --")],
    repo: Annotated[Path, typer.Option(help="The repo to copy into the sandbox")] = Path("."),
    timeout: Annotated[float, typer.Option(help="Seconds before the command is killed")] = 60.0,
    local: Annotated[bool, typer.Option("--local", help="Run in a temporary copy, NOT isolated")] = False,
) -> None:
    """Run CMD in a fresh sandbox of REPO; print its output and exit with its code."""
    if not repo.is_dir():
        raise UsageError(f"--repo {repo} is not a directory")
    if timeout <= 0:
        raise UsageError("--timeout must be positive")
    line = " ".join(command)
    if local:
        from sandbox.local_sandbox import NOT_ISOLATED_WARNING, LocalSandbox

        _err(NOT_ISOLATED_WARNING)
        box = LocalSandbox(repo)
    else:
        from sandbox import DockerSandbox

        box = DockerSandbox(repo, say=_err)
    with box:
        result = box.run(line, timeout=timeout)
    typer.echo(result.output, nl=False)
    if result.timed_out:
        _err(f"timed out after {timeout:g} s")
    raise typer.Exit(result.exit_code)


@sandbox_app.command("gc")
def sandbox_gc(
    everything: Annotated[bool, typer.Option("--all", help="Also remove sandboxes of live processes")] = False,
) -> None:
    """Remove containers and volumes left behind by killed runs."""
    from sandbox.docker_sandbox import gc

    containers, volumes = gc(everything=everything)
    typer.echo(f"removed {containers} container(s) and {volumes} volume(s)")


@sandbox_app.command("build")
def sandbox_build() -> None:
    """Build the sandbox image if its inputs changed (bootstrapping a base where none can be pulled)."""
    from sandbox.docker_sandbox import engine_client
    from sandbox.image import ensure_image

    typer.echo(ensure_image(engine_client(), say=_err))


@model_app.command("prepare")
def model_prepare() -> None:
    """Convert the embedded model to the cache once (later loads take under a second)."""
    from .models import prepare_embedded

    typer.echo(prepare_embedded(say=_err))


@app.command()
def learn(
    trajectory: Annotated[Path, typer.Option(help="A trajectory JSONL file written by a run")],
    model: Annotated[str, typer.Option(help="embedded, a model folder, or a hub id")] = "embedded",
    out: Annotated[Path | None, typer.Option(help="Save the adapter here if accepted")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the update report here (JSON)")] = None,
    steps: Annotated[int, typer.Option(help="Training steps")] = 30,
    lr: Annotated[float | None, typer.Option(help="Learning rate (default: per model)")] = None,
    since: Annotated[int | None, typer.Option(help="First step of the slice (default: last stuck verdict's)")] = None,
) -> None:
    """Learn from a recorded run offline: one guarded LoRA update on its stuck slice."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .learn import Learner, LearnerSettings
    from .models import load_model
    from .policy import Policy
    from .trajectory import Trajectory

    if not trajectory.is_file():
        raise UsageError(f"--trajectory {trajectory} does not exist")
    if steps < 1:
        raise UsageError("--steps must be at least 1")
    try:
        recorded = Trajectory.load(trajectory)
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(str(error)) from error
    start = since if since is not None else _stuck_start(recorded.steps)
    slice_ = [s for s in recorded.steps if s.index >= start]
    policy = Policy(load_model(model))
    learner = Learner(policy, LearnerSettings(steps=steps, lr=lr))
    with Progress(TextColumn("[bold]learning"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TextColumn("{task.fields[info]}"), TimeElapsedColumn()) as progress:
        task = progress.add_task("learn", total=steps, info="")

        def on_step(step: int, loss: float, kl: float | None) -> None:
            info = f"loss {loss:.3f}" + (f"  KL {kl:.3f}" if kl is not None else "")
            progress.update(task, completed=step, info=info)

        result = learner.update(slice_, on_step=on_step)
    typer.echo(f"{'accepted' if result.accepted else 'rolled back'}: {result.reason} "
               f"({result.steps} steps, {result.seconds:.1f} s, KL {result.kl if result.kl is not None else '-'})")
    if report:
        report.write_text(json.dumps(result.to_dict(), indent=2))
    if out and result.accepted:
        typer.echo(f"adapter saved to {policy.save_adapter(out)}")
    raise typer.Exit(0 if result.accepted else 1)


def _stuck_start(steps: list) -> int:
    for step in reversed(steps):
        if step.verdict and "since_step" in step.verdict:
            return int(step.verdict["since_step"])
    return steps[0].index if steps else 0


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # run the same cleanup as Ctrl-C (sandboxes removed, files flushed)


def main() -> None:
    """Entry point: one-line errors with exit codes instead of tracebacks.

    Usage errors are click's (exit 2); ours carry their own exit code.
    """
    from sandbox.errors import SandboxError

    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted; nothing was changed in your repo")
        sys.exit(130)
    except (UnstuckError, SandboxError) as error:
        _err(str(error))
        sys.exit(error.exit_code)


if __name__ == "__main__":
    main()
