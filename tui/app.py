"""``unstuck tui``: pair programming where you are the manager and the agent a fast junior engineer.

The app holds no agent logic. It starts runs through the run API (``Runtime.start`` →
``RunHandle``), shows the run's events as they arrive (posted from the run's thread as
messages), and calls the handle's commands: interject, teach, pause/resume, cancel.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from unstuck import events as ev
from unstuck.config import Settings
from unstuck.errors import UnstuckError
from unstuck.handle import RunHandle
from unstuck.outcome import Outcome
from unstuck.runtime import Runtime

from .screens import HelpScreen, Problem, ReviewScreen, ReviewVerdict, SetupScreen, TeachScreen
from .widgets import ChecksPanel, LearningPanel, ModelWriting, RepoPanel, RunStatus, StepLog, VerdictsPanel

IDLE_PROMPT = "A goal for the agent (Enter starts a run)"
RUNNING_PROMPT = "Tell the agent something (Enter) · F2 teach · F3 pause · F4 stop"


class RunEvent(Message):
    """An event of the run, posted from the run's thread."""

    def __init__(self, event: ev.Event) -> None:
        super().__init__()
        self.event = event


class Loaded(Message):
    """The model, the sandbox image and memory are ready (or ``problem`` says why not)."""

    def __init__(self, model: str = "", memory: str = "", problem: str = "") -> None:
        super().__init__()
        self.model, self.memory, self.problem = model, memory, problem


class UnstuckApp(App[None]):
    """The manager's console: the repo, the steps as they stream, checks, verdicts and learning."""

    CSS_PATH = "app.tcss"
    TITLE = "unstuck"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2,ctrl+t", "teach", "Teach"),
        Binding("f3", "pause", "Pause/Resume"),
        Binding("f4", "stop", "Stop"),
        Binding("f6", "review", "Review diff"),
        Binding("ctrl+c", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(self, settings: Settings, repo: Path, runtime: Runtime | None = None,
                 problems: list[Problem] | None = None) -> None:
        super().__init__()
        self.settings, self.repo = settings, repo
        self.runtime = runtime or Runtime(settings)
        self.problems = problems
        self.handle: RunHandle | None = None
        self.outcome: Outcome | None = None
        self.goal = ""
        self.before: dict[str, str] | None = None
        self.ready = False
        self.paused = False
        self.history: list[ev.Event] = []
        """Every run event the app has shown, in order."""

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from unstuck.repo_info import describe_repo

        yield Header()
        yield RepoPanel(describe_repo(self.repo).describe(), self.settings.task.check,
                        f"model: {self.settings.model.model} (loading…)", "memory: …")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield RunStatus(id="status")
                yield StepLog()
                yield ModelWriting()
            with Vertical(id="side"):
                yield ChecksPanel()
                yield VerdictsPanel()
                yield LearningPanel(self.settings.learner.kl_budget)
        yield Input(placeholder=IDLE_PROMPT, id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#prompt", Input).focus()
        self.preflight()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Teach", "State a fact; it becomes a guarded weight update", self.action_teach)
        yield SystemCommand("Pause / resume", "Hold the run at the next step boundary", self.action_pause)
        yield SystemCommand("Stop the run", "Cancel the run; the sandbox is removed", self.action_stop)
        yield SystemCommand("Review the diff", "Accept, reject or send back the run's patch", self.action_review)

    # -- getting ready ---------------------------------------------------------------------------

    def preflight(self) -> None:
        from unstuck.doctor import blocking_problems

        if self.problems is None:
            self.problems = [Problem(c.name, c.detail, c.fix)
                             for c in blocking_problems(self.repo, self.settings.model.model, self.settings.repo)]
        if self.problems:
            self.push_screen(SetupScreen(self.problems), lambda _: self._retry_setup())
        else:
            self.load()

    def _retry_setup(self) -> None:
        self.problems = None
        self.preflight()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """The sandbox image, memory and the model, off the UI thread."""
        from sandbox.errors import SandboxError

        self.post_message(RunStatusText("loading the model and the sandbox…"))
        try:
            self.runtime.sandboxes  # noqa: B018 - builds the image the first time
            policy = self.runtime.policy
            self.post_message(Loaded(f"model: {policy.loaded.name} · {policy.device}",
                                     self.runtime.memory_summary(self.repo)))
        except (UnstuckError, SandboxError, OSError) as error:
            self.post_message(Loaded(problem=str(error)))

    def on_loaded(self, message: Loaded) -> None:
        if message.problem:
            self.problems = [Problem("model or sandbox", message.problem, "unstuck doctor")]
            self.push_screen(SetupScreen(self.problems), lambda _: self._retry_setup())
            return
        self.ready = True
        self.query_one(RepoPanel).show(model=message.model, memory=message.memory)
        self._status("ready — type a goal below and press Enter")

    def on_run_status_text(self, message: RunStatusText) -> None:
        self._status(message.text)

    # -- the manager's input ---------------------------------------------------------------------

    @on(Input.Submitted, "#prompt")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.clear()
        if not text:
            return
        if self.running:
            self.handle.interject(text)
        else:
            self.start_run(text)

    @property
    def running(self) -> bool:
        return self.handle is not None and not self.handle.done

    def start_run(self, goal: str, patch: str = "", comment: str = "") -> None:
        from unstuck.patching import tree_state

        if not self.ready:
            self.notify("Still loading the model and the sandbox; try again in a moment.", severity="warning")
            return
        check = self.query_one("#check", Input).value.strip() or self.settings.task.check
        settings = dataclasses.replace(self.settings, task=dataclasses.replace(self.settings.task, goal=goal,
                                                                               check=check))
        self.goal, self.outcome, self.paused = goal, None, False
        self.before = tree_state(self.repo)
        for panel in (self.query_one(ChecksPanel), self.query_one(VerdictsPanel), self.query_one(LearningPanel)):
            panel.reset()
        try:
            self.handle = self.runtime.start(settings, self.repo, on_event=lambda e: self.post_message(RunEvent(e)),
                                             patch=patch)
        except UnstuckError as error:
            self.notify(str(error), severity="error")
            return
        if comment:
            self.handle.interject(comment)
        self.query_one("#prompt", Input).placeholder = RUNNING_PROMPT

    # -- the run's events ------------------------------------------------------------------------

    def on_run_event(self, message: RunEvent) -> None:
        event = message.event
        self.history.append(event)
        self.query_one(StepLog).show(event)
        writing = self.query_one(ModelWriting)
        budget = self.settings.agent.max_steps
        if isinstance(event, ev.GenerationStarted):
            writing.start(event.purpose)
            doing = {"action": "writing", "reflection": "reflecting", "sample": "sampling an attempt"}
            self._status(f"step {event.step} (budget {budget} turns): the model is "
                         f"{doing.get(event.purpose, event.purpose)}…")
        elif isinstance(event, ev.TextChunk):
            writing.add(event.text)
        elif isinstance(event, ev.GenerationFinished):
            writing.stop()
        elif isinstance(event, ev.CheckStarted):
            self._status("running the check…")
        elif isinstance(event, ev.CheckFinished) and not event.cancelled:
            self.query_one(ChecksPanel).add(event)
        elif isinstance(event, ev.StuckVerdict):
            self.query_one(VerdictsPanel).add_verdict(event)
        elif isinstance(event, ev.RungTaken):
            self.query_one(VerdictsPanel).add_rung(event)
        elif isinstance(event, ev.LearningStarted):
            self.query_one(LearningPanel).start(event)
            self._status("learning from your statement…" if event.source == "teach" else "updating beliefs…")
        elif isinstance(event, ev.LearningStep):
            self.query_one(LearningPanel).step(event)
        elif isinstance(event, ev.LearningFinished):
            self.query_one(LearningPanel).finish(event)
        elif isinstance(event, ev.Paused):
            self._status("paused — F3 resumes")
        elif isinstance(event, ev.PhaseStarted):
            self._status(f"{event.detail or event.phase}…")
        elif isinstance(event, ev.RunFinished):
            self.finished(event)

    def finished(self, event: ev.RunFinished) -> None:
        writing = self.query_one(ModelWriting)
        writing.stop()
        self.query_one("#prompt", Input).placeholder = IDLE_PROMPT
        self._status(f"finished: {event.status} — {event.reason}")
        if event.outcome is not None:
            self.outcome = Outcome(**event.outcome)
            if self.outcome.patch:
                self.action_review()

    # -- commands --------------------------------------------------------------------------------

    def action_teach(self) -> None:
        if not self.running:
            self.notify("Teaching works during a run: start one with a goal first.", severity="warning")
            return

        def teach(fact: str | None) -> None:
            if fact and self.running:
                self.handle.teach(fact)
                self.notify(f"Teaching at the next step boundary: {fact}")

        self.push_screen(TeachScreen(), teach)

    def action_pause(self) -> None:
        if not self.running:
            return
        self.paused = not self.paused
        if self.paused:
            self.handle.pause()
            self._status("pausing at the next step boundary…")
        else:
            self.handle.resume()
            self._status("resumed")

    def action_stop(self) -> None:
        if self.running:
            self.handle.cancel()
            self._status("stopping…")

    def action_review(self) -> None:
        outcome = self.outcome
        if outcome is None or not outcome.patch:
            self.notify("No diff to review yet.", severity="warning")
            return
        screen = ReviewScreen(outcome.patch, outcome.status, outcome.verified, outcome.reason)
        self.push_screen(screen, self.reviewed)

    def reviewed(self, verdict: ReviewVerdict | None) -> None:
        from unstuck.patching import apply_patch
        from unstuck.repo_info import describe_repo

        outcome = self.outcome
        if verdict is None or outcome is None:
            return
        if verdict.decision == "accept":
            try:
                apply_patch(self.repo, outcome.patch, self.before or {})
            except UnstuckError as error:
                self.notify(str(error), title="Not applied", severity="error", timeout=10)
                return
            self.outcome = None
            self.query_one(RepoPanel).show(repo=describe_repo(self.repo).describe())
            self.notify(f"Applied the patch to {self.repo.name}.", title="Accepted")
        elif verdict.decision == "reject":
            self.notify("Your repo is untouched. F6 reviews the diff again.", title="Rejected")
        else:
            self.start_run(self.goal, patch=outcome.patch, comment=verdict.comment)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Cancel the run (sandbox removed, trajectory and memory kept), then leave."""
        if self.running:
            self._status("stopping the run before quitting…")
            self.handle.cancel()
            await self.run_worker(self._wait_for_run, thread=True).wait()
        self.runtime.close()
        self.exit()

    def _wait_for_run(self) -> None:
        with contextlib.suppress(Exception):  # quitting anyway; the run's own error was shown as it happened
            self.handle.wait(timeout=30)

    def _status(self, text: str) -> None:
        self.query_one(RunStatus).text = text


class RunStatusText(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
