"""``unstuck lsp``: the agent in the editor, a language server (pygls 2) on stdio beside the usual one.

One feature per function, as in pygls' examples:

- diagnostics from the last check — ``unstuck.check`` on demand, and on save when ``checkOnSave``
  (debounced, one check at a time) — on the failing test's assertion line and the frame in the
  code under test; cleared when the check passes;
- code actions on a diagnostic or a selection: Fix with unstuck, Explain failure, Teach unstuck
  (listing them is cheap; the work happens in ``workspace/executeCommand``);
- ``unstuck.fix``: a run of the agent with work-done progress, cancelled by ``$/cancelRequest`` or
  the progress token's cancel; its patch arrives as a ``workspace/applyEdit`` only when re-verified
  in a fresh sandbox (or when ``partialPatches`` is on).

Settings: ``initializationOptions`` and ``workspace/configuration`` (section ``unstuck``) — ``model``,
``check``, ``setup``, ``sandbox``, ``maxSteps``, ``strategy``, ``checkOnSave``, ``partialPatches`` —
over the repo's ``[tool.unstuck]``. Errors are ``window/showMessage``; the server keeps answering.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path

from .. import events as ev
from ..errors import UnstuckError
from .diagnostics import by_file, failing_summary, locate

logger = logging.getLogger("unstuck.lsp")
SOURCE = "unstuck"
SAVE_DEBOUNCE = 0.5
EDITOR_KEYS = {"model": "model.model", "check": "task.check", "setup": "task.setup", "sandbox": "sandbox.kind",
               "maxSteps": "agent.max_steps", "strategy": "agent.strategy"}
"""Editor settings → unstuck settings (the rest come from ``[tool.unstuck]`` and the defaults)."""
SERVER_KEYS = {"checkOnSave": False, "partialPatches": False}


class UnstuckProtocol(LanguageServerProtocol):
    """Hears ``$/cancelRequest``: pygls cancels only a request's outer future, not the running command."""

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        super()._handle_cancel_notification(msg_id)
        self._server.cancelled.add(msg_id)


class UnstuckServer(LanguageServer):
    """The server's state: settings, the runtime (model loaded on first fix), checks and the fix in flight."""

    def __init__(self) -> None:
        from .. import __version__

        super().__init__("unstuck", __version__, protocol_cls=UnstuckProtocol)
        self.options: dict[str, Any] = {}
        self.cancelled: set[Any] = set()
        self.runtime: Any = None
        self.runtime_key: tuple[Any, ...] | None = None
        self.published: set[str] = set()
        self.failures: dict[str, Any] = {}
        """Test id → Failure, from the last check (what code actions offer)."""
        self.check_lock = asyncio.Lock()
        self.save_timer: asyncio.TimerHandle | None = None
        self.handle: Any = None

    # -- settings and the runtime ------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        return self.options.get(key, SERVER_KEYS.get(key))

    def settings_for(self, repo: Path) -> Any:
        from ..config import load_settings

        flags = {name: (self.options[key], f"editor setting {key}") for key, name in EDITOR_KEYS.items()
                 if self.options.get(key) not in (None, "")}
        return load_settings(repo, flags).settings

    def runtime_for(self, settings: Any) -> Any:
        """One runtime (one loaded model) while the model and sandbox settings stay the same."""
        from ..runtime import Runtime

        key = (settings.model, settings.sandbox)
        if self.runtime is None or self.runtime_key != key:
            if self.runtime is not None:
                self.runtime.close()
            self.runtime = Runtime(settings, say=lambda message: self.log(message))
            self.runtime_key = key
        return self.runtime

    def repo_for(self, uri: str | None) -> Path:
        """The git work tree of ``uri`` (else the workspace root); a usage error when there is none."""
        from ..errors import UsageError

        start = Path(to_fs_path(uri)).parent if uri else None
        if start is None and self.workspace.root_path:
            start = Path(self.workspace.root_path)
        if start is None:
            raise UsageError("no workspace folder is open")
        found = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"], capture_output=True,
                               text=True, check=False)
        if found.returncode != 0:
            raise UsageError(f"{start} is not inside a git repository; unstuck works on a repo")
        return Path(found.stdout.strip())

    # -- talking to the editor ---------------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        logger.info(message)
        self.window_log_message(types.LogMessageParams(kind, message))

    def show(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_show_message(types.ShowMessageParams(kind, f"unstuck: {message}"))

    def failed(self, error: BaseException) -> None:
        """A problem the user can fix, as a message; the server keeps answering."""
        from sandbox.errors import first_line

        self.show(first_line(error), types.MessageType.Error)


server = UnstuckServer()


# -- lifecycle ------------------------------------------------------------------------------------------


@server.feature(types.INITIALIZE)
def initialize(ls: UnstuckServer, params: types.InitializeParams) -> None:
    ls.options.update(params.initialization_options or {})


@server.feature(types.INITIALIZED)
async def initialized(ls: UnstuckServer, params: types.InitializedParams) -> None:
    await pull_configuration(ls)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def configuration_changed(ls: UnstuckServer, params: types.DidChangeConfigurationParams) -> None:
    if isinstance(params.settings, dict) and isinstance(params.settings.get("unstuck"), dict):
        ls.options.update(params.settings["unstuck"])
    await pull_configuration(ls)


async def pull_configuration(ls: UnstuckServer) -> None:
    workspace = ls.client_capabilities.workspace
    if workspace is None or not workspace.configuration:
        return
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams([types.ConfigurationItem(section="unstuck")]))
    except Exception as error:  # noqa: BLE001 - a client that cannot answer keeps the earlier settings
        ls.log(f"workspace/configuration failed: {error}")
        return
    if result and isinstance(result[0], dict):
        ls.options.update(result[0])


# -- diagnostics ---------------------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def saved(ls: UnstuckServer, params: types.DidSaveTextDocumentParams) -> None:
    if not ls.setting("checkOnSave"):
        return
    if ls.save_timer is not None:
        ls.save_timer.cancel()
    loop = asyncio.get_running_loop()
    uri = params.text_document.uri
    ls.save_timer = loop.call_later(SAVE_DEBOUNCE, lambda: asyncio.ensure_future(check(ls, {"uri": uri})))


@server.command("unstuck.check")
async def check(ls: UnstuckServer, *args: Any) -> dict[str, Any] | None:
    """Run the check in a sandbox and publish its failures as diagnostics (one check at a time)."""
    from sandbox.errors import SandboxError

    from ..checks import run_check

    uri = _argument(args, "uri")
    try:
        repo = ls.repo_for(uri)
        settings = ls.settings_for(repo)
        async with ls.check_lock:
            def run() -> Any:
                runtime = ls.runtime_for(settings)
                runtime.sandboxes.prepare(repo, settings.task.setup)
                with runtime.sandboxes(repo) as sandbox:
                    return run_check(sandbox, settings.task.check, settings.agent.check_timeout)

            result = await asyncio.to_thread(run)
    except (UnstuckError, SandboxError, OSError) as error:
        ls.failed(error)
        return None
    publish(ls, repo, result)
    ls.log(f"check: {failing_summary(result)}")
    return {"passed": result.passed, "failing": [f.test_id for f in result.failures]}


def publish(ls: UnstuckServer, repo: Path, result: Any) -> None:
    """Diagnostics for every file the failures point at; files that had some and no longer do are cleared."""
    ls.failures = {f.test_id: f for f in result.failures}
    current: set[str] = set()
    for path, located in by_file(locate(result.failures, repo)).items():
        uri = from_fs_path(str(repo / path))
        current.add(uri)
        diagnostics = [types.Diagnostic(
            range=types.Range(types.Position(item.line, 0), types.Position(item.line, 10_000)),
            message=item.message, severity=types.DiagnosticSeverity.Error, source=SOURCE, code=item.test_id)
            for item in located]
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
    for uri in ls.published - current:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.published = current


# -- code actions --------------------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_actions(ls: UnstuckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Fix, Explain and Teach for each unstuck diagnostic in range; Fix for a plain selection."""
    from ..learn.truths import collect_truths

    uri = params.text_document.uri
    tests = [str(d.code) for d in params.context.diagnostics if d.source == SOURCE and d.code is not None]
    actions = []
    for test in dict.fromkeys(tests):
        actions.append(_action(f"Fix with unstuck: make {test} pass", "unstuck.fix", {"uri": uri, "test": test},
                               types.CodeActionKind.QuickFix))
        actions.append(_action("Explain failure", "unstuck.explain", {"test": test}))
        failure = ls.failures.get(test)
        for truth in collect_truths([failure]) if failure else []:
            actions.append(_action(f"Teach unstuck: {truth.statement}", "unstuck.teach",
                                   {"uri": uri, "test": test, "fact": truth.statement}))
        actions.append(_action("Teach unstuck…", "unstuck.teach", {"uri": uri, "test": test}))
    if not tests:
        actions.append(_action("Fix with unstuck", "unstuck.fix", {"uri": uri}, types.CodeActionKind.QuickFix))
    return actions


def _action(title: str, command: str, argument: dict[str, Any],
            kind: types.CodeActionKind = types.CodeActionKind.Empty) -> types.CodeAction:
    return types.CodeAction(title, kind=kind, command=types.Command(title=title, command=command,
                                                                    arguments=[argument]))


@server.command("unstuck.explain")
def explain(ls: UnstuckServer, *args: Any) -> str | None:
    """What the failure shows: its message, where it points, and the facts it reveals (no model involved)."""
    from ..learn.truths import collect_truths

    test = _argument(args, "test")
    failure = ls.failures.get(test or "")
    if failure is None:
        ls.show(f"no failure of {test!r} in the last check; run unstuck.check", types.MessageType.Warning)
        return None
    facts = [t.statement + (f" (it returned {t.returned})" if t.returned else "") for t in collect_truths([failure])]
    text = (f"{test} fails: {(failure.message or failure.exc_type).splitlines()[0]}"
            + (f" — at {failure.frame}" if failure.frame else "")
            + (". The failure reveals: " + "; ".join(facts) if facts else ""))
    ls.show(text)
    ls.log(failure.text or failure.message)
    return text


# -- fixing --------------------------------------------------------------------------------------------


@server.command("unstuck.teach")
async def teach(ls: UnstuckServer, *args: Any) -> dict[str, Any] | None:
    """Teach a fact: into the fix in flight, or a new fix that starts with it (a guarded weight update)."""
    fact = _argument(args, "fact")
    if not fact:
        ls.show("teach needs the fact: run the command with {\"fact\": \"…\"} as its argument "
                "(or pick one of the facts the failure revealed)", types.MessageType.Warning)
        return None
    if ls.handle is not None and not ls.handle.done:
        ls.handle.teach(fact)
        ls.show(f"teaching the running fix: {fact}")
        return {"taught": fact}
    return await fix(ls, {**(_argument(args) or {}), "teach": fact})


@server.command("unstuck.fix")
async def fix(ls: UnstuckServer, *args: Any) -> dict[str, Any] | None:
    """Repair until the test (or the check) passes; progress while it works; the edit only when re-verified."""
    from sandbox.errors import SandboxError

    request = ls.protocol.msg_id
    token = str(uuid.uuid4())
    try:
        repo = ls.repo_for(_argument(args, "uri"))
        settings = _focused(ls.settings_for(repo), _argument(args, "test"))
        unsaved = _unsaved(ls, repo)
        if unsaved:
            ls.show(f"save first: unstuck works on the files on disk ({', '.join(unsaved)} has unsaved changes)",
                    types.MessageType.Warning)
            return None
        if ls.handle is not None and not ls.handle.done:
            ls.show("a fix is already running; cancel it or wait for it", types.MessageType.Warning)
            return None
        progress = _Progress(ls, token, await _progress_create(ls, token))
        progress.begin("loading the model and the sandbox")
        try:
            outcome = await _run(ls, repo, settings, progress, request, _argument(args, "teach"))
        except BaseException as error:
            progress.end(f"failed: {error}")
            raise
        finally:
            ls.cancelled.discard(request)
    except (UnstuckError, SandboxError, OSError) as error:
        ls.failed(error)
        return None
    return await _deliver(ls, repo, outcome, progress)


async def _run(ls: UnstuckServer, repo: Path, settings: Any, progress: _Progress, request: Any,
               fact: str | None) -> Any:
    """Start the run on its thread; turn its events into progress; cancel it when the editor asks."""
    runtime = ls.runtime_for(settings)
    await asyncio.to_thread(lambda: (runtime.sandboxes, runtime.memory, runtime.policy))
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[ev.Event] = asyncio.Queue()
    handle = ls.handle = runtime.start(settings, repo,
                                       on_event=lambda e: loop.call_soon_threadsafe(queue.put_nowait, e))
    if fact:
        handle.teach(fact)
    budget, turn = settings.agent.max_steps, 0
    while True:
        try:
            event = await asyncio.wait_for(queue.get(), timeout=0.2)
        except TimeoutError:
            event = None
        if request in ls.cancelled or progress.cancelled():
            handle.cancel()
        if event is None:
            continue
        if isinstance(event, ev.GenerationStarted) and event.purpose == "action":
            turn += 1
        message = _progress_message(event, turn, budget)
        if message:
            progress.report(message, min(99, int(100 * turn / budget)))
        if isinstance(event, ev.RunFinished):
            break
    return await asyncio.to_thread(handle.wait)


async def _deliver(ls: UnstuckServer, repo: Path, outcome: Any, progress: _Progress) -> dict[str, Any]:
    """The final message, and the edit when re-verified (or when partial patches are asked for)."""
    from .edits import workspace_edit

    ready = outcome.verified or (ls.setting("partialPatches") and bool(outcome.patch or outcome.best_patch))
    patch = outcome.patch if outcome.verified else (outcome.best_patch or outcome.patch)
    verdict = ("fixed and re-verified in a fresh sandbox" if outcome.verified
               else f"{outcome.status}: {outcome.reason}")
    progress.end(verdict)
    applied = None
    if ready and patch:
        versions = {doc.uri: doc.version for doc in ls.workspace.text_documents.values()}
        edit = workspace_edit(repo, patch, versions)
        label = "unstuck: verified fix" if outcome.verified else "unstuck: partial patch (NOT verified)"
        result = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label=label))
        applied = result.applied
    if outcome.verified:
        ls.show(f"{verdict}; {'the edit was applied' if applied else 'the edit was not applied'}")
    elif applied:
        ls.show(f"{verdict} — a partial patch was applied, NOT verified", types.MessageType.Warning)
    else:
        ls.show(f"{verdict} — not verified, so no edit was sent (partialPatches sends it anyway)",
                types.MessageType.Warning)
    return {"status": outcome.status, "verified": outcome.verified, "applied": applied}


def _progress_message(event: ev.Event, turn: int, budget: int) -> str | None:
    if isinstance(event, ev.PhaseStarted):
        return event.detail or event.phase
    if isinstance(event, ev.GenerationStarted):
        doing = {"action": "writing", "reflection": "reflecting", "sample": "sampling an attempt"}
        return f"step {turn}/{budget}: the model is {doing.get(event.purpose, event.purpose)}"
    if isinstance(event, ev.CheckFinished) and not event.cancelled:
        return "check passes" if event.passed else f"check: {event.n_failed} failing"
    if isinstance(event, ev.StuckVerdict):
        return f"stuck ({event.verdict}): {event.evidence[:120]}"
    if isinstance(event, ev.LearningStep):
        kl = f", KL {event.kl:.2f}" if event.kl is not None else ""
        return f"learning {event.update_step}/{event.total_steps}: loss {event.loss:.3f}{kl}"
    if isinstance(event, ev.LearningFinished):
        return f"update {'accepted' if event.accepted else 'rolled back'}: {event.reason}"
    if isinstance(event, ev.RunFinished):
        return event.status
    return None


def _focused(settings: Any, test: str | None) -> Any:
    """Settings whose check is the one test (when the check is pytest): repair until this test passes."""
    import dataclasses

    if not test or "pytest" not in settings.task.check:
        return settings
    task = dataclasses.replace(settings.task, check=f"{settings.task.check} {shlex.quote(test)}",
                               goal=f"Make the failing test {test} pass.")
    return dataclasses.replace(settings, task=task)


def _unsaved(ls: UnstuckServer, repo: Path) -> list[str]:
    unsaved = []
    for document in ls.workspace.text_documents.values():
        path = Path(to_fs_path(document.uri) or "")
        if repo in path.parents and path.is_file() and path.read_text(encoding="utf-8") != document.source:
            unsaved.append(path.name)
    return unsaved


async def _progress_create(ls: UnstuckServer, token: Any) -> bool:
    """Ask the client for a progress token; False when it has no work-done progress."""
    window = ls.client_capabilities.window
    if window is None or not window.work_done_progress:
        return False
    await ls.work_done_progress.create_async(token)
    return True


class _Progress:
    """Work-done progress of one fix: begin, reports, end — nothing when the client has none."""

    def __init__(self, ls: UnstuckServer, token: str, enabled: bool) -> None:
        self.ls, self.token, self.enabled = ls, token, enabled

    def begin(self, message: str) -> None:
        if self.enabled:
            self.ls.work_done_progress.begin(self.token, types.WorkDoneProgressBegin(
                title="unstuck", message=message, cancellable=True, percentage=0))

    def report(self, message: str, percentage: int) -> None:
        if self.enabled:
            self.ls.work_done_progress.report(self.token, types.WorkDoneProgressReport(
                message=message, percentage=percentage, cancellable=True))

    def end(self, message: str) -> None:
        if self.enabled:
            self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
            self.enabled = False

    def cancelled(self) -> bool:
        future = self.ls.work_done_progress.tokens.get(self.token)
        return future is not None and future.cancelled()


def _argument(args: tuple[Any, ...], key: str | None = None) -> Any:
    """The command's first argument (an object), or one of its keys."""
    first = args[0] if args else None
    if key is None:
        return first if isinstance(first, dict) else None
    return first.get(key) if isinstance(first, dict) else None


def serve() -> None:
    """Speak LSP on stdio; nothing else may reach stdout, so it is stderr for everything else."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="unstuck-lsp %(levelname)s %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)  # it logs every message it sends at INFO
    transport = sys.stdout.buffer
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, transport)
