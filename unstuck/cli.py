"""The ``unstuck`` command line. Heavy imports stay inside the commands: ``--help`` is instant.

Exit codes: 0 fixed/verified · 1 not fixed · 2 usage · 3 environment.
"""

from __future__ import annotations

import json
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from . import options as opt
from .errors import EXIT_ENVIRONMENT, UnstuckError, UsageError
from .fileio import write_atomic
from .runtime import data_dir, open_memory

app = typer.Typer(
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode="markdown",
    help="A coding agent that gets itself unstuck.",
)
sandbox_app = typer.Typer(no_args_is_help=True, help="Try commands where the agent runs them; clean up.")
model_app = typer.Typer(no_args_is_help=True, help="Prepare and inspect models.")
memory_app = typer.Typer(no_args_is_help=True, help="Inspect and prune what unstuck remembers across runs.")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(model_app, name="model")
app.add_typer(memory_app, name="memory")


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
    """Run CMD in a fresh sandbox of REPO; print its output and exit with its code.

    One argument is a shell line (`-- 'pytest -q; echo done'`); several are a command and its
    arguments, quoted as given (`-- sh -c 'echo "a b"'`).
    """
    if not repo.is_dir():
        raise UsageError(f"--repo {repo} is not a directory")
    if timeout <= 0:
        raise UsageError("--timeout must be positive")
    line = command[0] if len(command) == 1 else shlex.join(command)
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
def run(
    repo: opt.Repo = Path("."),
    check: opt.Check = None,
    goal: opt.Goal = None,
    setup: opt.Setup = None,
    allow_test_edits: opt.AllowTestEdits = False,
    model: opt.Model = None,
    sandbox: opt.SandboxKind = None,
    max_steps: opt.MaxSteps = None,
    max_seconds: opt.MaxSeconds = None,
    max_tokens: opt.MaxTokens = None,
    no_learn: opt.NoLearn = False,
    strategy: opt.Strategy = None,
    assignments: opt.Assignments = None,
    allow_non_git: opt.AllowNonGit = False,
    allow_large: opt.AllowLarge = False,
    report: Annotated[Path | None, typer.Option(help="Write the JSON report here")] = None,
    patch: Annotated[Path | None, typer.Option(help="Write the patch here")] = None,
    trajectory: Annotated[Path | None, typer.Option(help="Write the step-by-step trajectory (JSONL) here")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Apply the verified patch to REPO (refuses a dirty tree)")]
    = False,
    memory: opt.MemoryFile = None,
    no_memory: opt.NoMemory = False,
) -> None:
    """Repair REPO until its check passes; print a live view, write the patch and a JSON report.

    Settings come from REPO's pyproject.toml [tool.unstuck]; flags override (see `unstuck config`).
    Exit codes: 0 fixed (re-verified from a clean sandbox) · 1 not fixed · 2 usage · 3 environment ·
    130 cancelled with Ctrl-C.
    """
    from .live import LiveView
    from .patching import apply_patch, dirty_reason, tree_state
    from .runtime import Runtime
    from .task import check_repo

    repo = repo.expanduser().resolve()
    effective = opt.effective_settings(
        repo, check=check, goal=goal, setup=setup, allow_test_edits=allow_test_edits, model=model, sandbox=sandbox,
        max_steps=max_steps, max_seconds=max_seconds, max_tokens=max_tokens, strategy=strategy, no_learn=no_learn,
        assignments=assignments, allow_non_git=allow_non_git, allow_large=allow_large)
    settings = effective.settings
    check_repo(repo, settings.repo)
    for option, path in (("--report", report), ("--patch", patch), ("--trajectory", trajectory)):
        if path is not None and path.is_dir():
            raise UsageError(f"{option} {path} is a directory; give a file name")
    if apply and (reason := dirty_reason(repo)):
        raise UsageError(f"--apply refused: {reason}")
    before = tree_state(repo)
    view = LiveView(max_steps=settings.agent.max_steps)
    runtime = Runtime(settings, memory_path=memory, use_memory=not no_memory,
                      say=lambda m: view.console.print(f"[dim]{m}"))
    try:
        runtime.sandboxes  # noqa: B018 - the engine and the image first: a missing engine is exit 3 before loading
        runtime.memory  # noqa: B018
        with view.console.status(f"loading the model ({settings.model.model})…"):
            runtime.policy  # noqa: B018
        handle = runtime.start(settings, repo, trajectory, on_event=view)
        try:
            outcome = handle.wait()
        except KeyboardInterrupt:
            view.console.print("[yellow]cancelling (Ctrl-C again to quit at once)…")
            handle.cancel()
            outcome = handle.wait()
    finally:
        runtime.close()
    if patch is not None:
        write_atomic(patch, outcome.patch)
    if report is not None:
        write_atomic(report, json.dumps(outcome.to_dict(), indent=2))
    view.console.print(f"trajectory: {outcome.trajectory}")
    if apply and outcome.fixed and outcome.patch:
        apply_patch(repo, outcome.patch, before)
        view.console.print(f"[green]applied[/] the patch to {repo}")
    elif outcome.patch and not apply:
        view.console.print(f"your repo is untouched; {'the patch is in ' + str(patch) if patch else 'use --patch FILE'}"
                           " to keep it, or --apply")
    if outcome.status == "cancelled":
        raise typer.Exit(130)
    raise typer.Exit(0 if outcome.fixed else 1)


@app.command()
def config(
    repo: opt.Repo = Path("."),
    check: opt.Check = None,
    goal: opt.Goal = None,
    model: opt.Model = None,
    sandbox: opt.SandboxKind = None,
    max_steps: opt.MaxSteps = None,
    max_seconds: opt.MaxSeconds = None,
    max_tokens: opt.MaxTokens = None,
    no_learn: opt.NoLearn = False,
    strategy: opt.Strategy = None,
    assignments: opt.Assignments = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
) -> None:
    """Show the effective settings for REPO and where each comes from (default, pyproject.toml, a flag)."""
    effective = opt.effective_settings(
        repo.expanduser().resolve(), check=check, goal=goal, model=model, sandbox=sandbox, max_steps=max_steps,
        max_seconds=max_seconds, max_tokens=max_tokens, strategy=strategy, no_learn=no_learn,
        assignments=assignments)
    rows = effective.rows()
    if as_json:
        typer.echo(json.dumps({name: {"value": value, "source": source} for name, value, source in rows}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"unstuck settings for {repo.resolve()}")
    for column in ("setting", "value", "source"):
        table.add_column(column)
    for name, value, source in rows:
        style = "" if source == "default" else "bold"
        table.add_row(name, repr(value) if isinstance(value, str) else str(value), source, style=style)
    Console().print(table)


@app.command()
def ci(
    repo: opt.Repo = Path("."),
    check: opt.Check = None,
    setup: opt.Setup = None,
    max_steps: opt.MaxSteps = None,
    model: opt.Model = None,
    sandbox: opt.SandboxKind = None,
    strategy: opt.Strategy = None,
    assignments: opt.Assignments = None,
    patch_out: Annotated[Path | None, typer.Option(help="Write the patch here (partial and marked so when not "
                                                        "fixed)")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the JSON report here")] = None,
    summary: Annotated[Path | None, typer.Option(help="Append the markdown summary here (and to "
                                                      "$GITHUB_STEP_SUMMARY under GitHub Actions)")] = None,
    allow_test_edits: opt.AllowTestEdits = False,
    allow_non_git: opt.AllowNonGit = False,
    allow_large: opt.AllowLarge = False,
    memory: opt.MemoryFile = None,
    no_memory: opt.NoMemory = False,
) -> None:
    """The CI repair bot: run the check; when tests fail, repair, re-verify from a clean sandbox, and
    hand back a patch, a JSON report and a summary. Never prompts; plain lines when not a terminal.

    Exit codes: 0 fixed (re-verified) or already passing · 1 not fixed (a partial patch may still be
    written) · 2 usage · 3 environment, a failed setup, or a broken pipeline (not a test failure).
    """
    from rich.console import Console

    from .ci import CiFiles, run_ci
    from .live import LiveView
    from .runtime import Runtime
    from .task import check_repo

    repo = repo.expanduser().resolve()
    settings = opt.effective_settings(
        repo, check=check, setup=setup, allow_test_edits=allow_test_edits, model=model, sandbox=sandbox,
        max_steps=max_steps, strategy=strategy, assignments=assignments, allow_non_git=allow_non_git,
        allow_large=allow_large).settings
    check_repo(repo, settings.repo)
    for option, path in (("--patch-out", patch_out), ("--report", report), ("--summary", summary)):
        if path is not None and path.is_dir():
            raise UsageError(f"{option} {path} is a directory; give a file name")
    console = Console(stderr=True)
    view = LiveView(console, max_steps=settings.agent.max_steps)
    runtime = Runtime(settings, memory_path=memory, use_memory=not no_memory,
                      say=lambda m: console.print(f"unstuck: {m}", markup=False, highlight=False))
    try:
        runtime.sandboxes  # noqa: B018 - the engine and the image: a missing engine is exit 3 before loading
        runtime.memory  # noqa: B018
        runtime.say(f"loading the model ({settings.model.model})")
        runtime.policy  # noqa: B018
        result = run_ci(runtime, repo, CiFiles.from_options(patch_out, report, summary), on_event=view,
                        say=runtime.say)
    finally:
        runtime.close()
    written = f"; patch in {patch_out}" if patch_out is not None and result.patch else ""
    typer.echo(f"unstuck ci: {result.status} — {result.reason}{written}", err=True)
    raise typer.Exit(result.exit_code)


@app.command()
def tui(
    repo: opt.Repo = Path("."),
    check: opt.Check = None,
    model: opt.Model = None,
    sandbox: opt.SandboxKind = None,
    max_steps: opt.MaxSteps = None,
    strategy: opt.Strategy = None,
    assignments: opt.Assignments = None,
    allow_non_git: opt.AllowNonGit = False,
    allow_large: opt.AllowLarge = False,
    memory: opt.MemoryFile = None,
    no_memory: opt.NoMemory = False,
) -> None:
    """Pair-program in the terminal: you set the goal, watch, interject, teach, and accept the diff."""
    from .config import load_settings
    from .runtime import Runtime

    repo = repo.expanduser().resolve()
    if repo.is_dir():
        settings = opt.effective_settings(repo, check=check, model=model, sandbox=sandbox, max_steps=max_steps,
                                          strategy=strategy, assignments=assignments, allow_non_git=allow_non_git,
                                          allow_large=allow_large).settings
    else:  # the setup screen says what is wrong with the repo
        settings = load_settings(None).settings
    from tui.app import UnstuckApp

    runtime = Runtime(settings, memory_path=memory, use_memory=not no_memory)
    UnstuckApp(settings, repo, runtime).run()


@app.command()
def lsp() -> None:
    """Serve the Language Server Protocol on stdio: diagnostics from the check, Fix / Explain / Teach
    code actions, a fix with progress and cancel that arrives as a workspace edit (see the README for
    Neovim, Helix and VS Code)."""
    from .lsp.server import serve

    serve()


@memory_app.command("list")
def memory_list(
    repo: Annotated[Path | None, typer.Option(help="Only episodes of this repo")] = None,
    memory: Annotated[Path | None, typer.Option(help="Memory file (default: in the user data dir)")] = None,
) -> None:
    """List remembered episodes, newest first."""
    from rich.console import Console
    from rich.table import Table

    with open_memory(memory) as store:
        rows = store.episodes(str(repo.resolve()) if repo else None)
    table = Table(title=f"unstuck memory ({len(rows)} episode(s))")
    for column in ("id", "repo", "strategy", "status", "steps", "started"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["id"]), row["repo"], row["strategy"] or "", row["status"], str(row["steps"]),
                      time.strftime("%Y-%m-%d %H:%M", time.localtime(row["started"])))
    Console().print(table)


@memory_app.command("show")
def memory_show(
    episode: Annotated[int, typer.Argument(help="Episode id (see `unstuck memory list`)")],
    memory: Annotated[Path | None, typer.Option(help="Memory file (default: in the user data dir)")] = None,
) -> None:
    """Show one episode: its steps' fingerprints, verdicts, lessons and adapters (JSON)."""
    with open_memory(memory) as store:
        found = store.episode(episode)
    if found is None:
        raise UsageError(f"no episode {episode} in memory")
    typer.echo(json.dumps(found, indent=2, default=str))


@memory_app.command("forget")
def memory_forget(
    episode: Annotated[int | None, typer.Argument(help="Episode id to forget")] = None,
    repo: Annotated[Path | None, typer.Option(help="Forget everything about this repo")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Forget everything")] = False,
    memory: Annotated[Path | None, typer.Option(help="Memory file (default: in the user data dir)")] = None,
) -> None:
    """Forget an episode, a repo, or everything (archived adapter files are deleted too)."""
    import shutil

    if sum(x is not None and x is not False for x in (episode, repo, everything or None)) != 1:
        raise UsageError("give exactly one of EPISODE, --repo DIR or --all")
    key = str(repo.resolve()) if repo else None
    with open_memory(memory) as store:
        paths = store.adapter_paths(episode, key)
        removed = store.forget(episode, key)
    adapters_root = data_dir() / "adapters"
    for path in paths:
        folder = Path(path)
        if adapters_root in folder.parents:
            shutil.rmtree(folder.parent if folder.name == "work" else folder, ignore_errors=True)
    typer.echo(f"forgot {removed} episode(s) and {len(paths)} adapter(s)")


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

    from .agent import AgentSettings
    from .learn import Learner, LearnerSettings
    from .learn.probe import recorded_probe
    from .learn.slices import last_stuck_start, stuck_slice
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
    start = since if since is not None else last_stuck_start(recorded.steps)
    slice_ = stuck_slice(recorded.steps, start)
    policy = Policy(load_model(model))
    probe = recorded_probe(slice_, AgentSettings().max_new_tokens, lambda text: len(policy.encode(text)))
    learner = Learner(policy, LearnerSettings(steps=steps, lr=lr), format_probe=probe)
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


@app.command()
def bench(
    suite: Annotated[str, typer.Option(help="small, knowledge-gap (-dev, -heldout, -fresh, -rail, -garden, "
                                            "-bakery, -workshop, -library, -cinema, -harbour, -orchard, -vineyard, "
                                            "-brewery, -pottery, -lighthouse, -observatory, -apiary, -quarry, "
                                            "-boatyard, -ferry, -mill, -forge, -dairy, -bindery, -weavers, -tannery), "
                                            "human-eval, or a folder of task folders")] = "small",
    strategies: Annotated[str, typer.Option(help="Comma-separated: retry, reflect, learn, sample, interject, teach")] \
    = "retry,reflect,learn",
    model: Annotated[str, typer.Option(help="embedded, a model folder, or a hub id")] = "embedded",
    budget: Annotated[int, typer.Option(help="Model turns per run")] = 8,
    seeds: Annotated[int, typer.Option(help="Runs per task and strategy (seeds 0…N-1)")] = 1,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature (default: 0, greedy, for one "
                                                           "seed; 0.7 for more)")] = None,
    tasks: Annotated[int | None, typer.Option(help="Only the first K tasks of the suite")] = None,
    out: Annotated[Path, typer.Option(help="Results folder; a run there with the same settings resumes")]
    = Path("out/bench"),
    sandbox: Annotated[str, typer.Option(help="docker (isolated) or local (a temp copy, NOT isolated)")] = "docker",
    heldout: Annotated[int, typer.Option(help="Held-out tasks per adapter in the forgetting check")] = 3,
    max_seconds: Annotated[float, typer.Option(help="Wall-clock budget per run in seconds")] = 1800.0,
    fresh: Annotated[bool, typer.Option("--fresh", help="Delete OUT first instead of resuming")] = False,
    assignments: Annotated[list[str] | None, typer.Option(
        "--set", help="An agent or learner setting for every run, e.g. --set learner.shrink-tries=0 (see "
                 "`unstuck config`)")]
    = None,
) -> None:
    """Compare strategies (retry, reflect, learn, sample, …) on the same tasks and budget; resume where it stopped.

    Writes results.jsonl (one line per run, as it ends), per-run reports and trajectories, summary.md,
    summary.json and solve-rate.png into OUT.
    """
    from .bench.agent_bench import run_bench
    from .bench.runner import BenchSettings
    from .config import parse_assignment

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    chosen = [s.strip() for s in strategies.split(",") if s.strip()]
    chosen_settings: dict[str, dict[str, object]] = {"learner": {}, "agent": {}}
    for assignment in assignments or []:
        name, value = parse_assignment(assignment)
        section, _, rest = name.partition(".")
        if section not in chosen_settings:
            raise UsageError(f"bench --set takes agent and learner settings (e.g. undo-breaking-edits=false, "
                             f"learner.steps=20), not {assignment!r}")
        chosen_settings[section][rest] = value
    settings = BenchSettings(suite=suite, strategies=chosen, model=model, budget=budget, seeds=seeds,
                             temperature=temperature if temperature is not None else (0.0 if seeds == 1 else 0.7),
                             tasks=tasks, max_seconds=max_seconds, **chosen_settings)
    if heldout < 0:
        raise UsageError("--heldout must not be negative")
    run_bench(settings, out, sandbox=sandbox, heldout=heldout, fresh=fresh)


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
