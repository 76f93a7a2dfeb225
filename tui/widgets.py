"""The main screen's widgets, each named for what it shows. They only render run events; the app
decides what happens."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Label, RichLog, Sparkline, Static

from unstuck import events as ev

SYNTAX_THEME = "ansi_dark"


class RepoPanel(Vertical):
    """The repo, its check (editable), the model and device, and what memory holds for the repo."""

    def __init__(self, repo: str, check: str, model: str, memory: str) -> None:
        super().__init__(id="repo-panel")
        self.border_title = "repo"
        self.repo_text, self.check_text, self.model_text, self.memory_text = repo, check, model, memory

    def compose(self) -> ComposeResult:
        with Horizontal(id="repo-row"):
            yield Label(self.repo_text, id="repo-name")
            yield Label(self.model_text, id="model")
        with Horizontal(id="check-row"):
            yield Label("check", id="check-label")
            yield Input(self.check_text, placeholder="the check command", id="check")
        yield Label(self.memory_text, id="memory")

    def show(self, *, repo: str | None = None, model: str | None = None, memory: str | None = None) -> None:
        for widget_id, text in (("#repo-name", repo), ("#model", model), ("#memory", memory)):
            if text is not None:
                self.query_one(widget_id, Label).update(text)


class RunStatus(Label):
    """One line: what the run is doing now."""

    text = reactive("idle — type a goal below and press Enter")

    def render(self) -> str:
        return self.text


class StepLog(RichLog):
    """Every step as it happens: checks, actions (code highlighted), outputs, verdicts, the manager's words."""

    def __init__(self) -> None:
        super().__init__(id="step-log", wrap=True, markup=True, highlight=False, max_lines=5000)

    def show(self, event: ev.Event) -> None:
        if isinstance(event, ev.RunStarted):
            self.write(Text(f"▶ {event.goal}  (check: {event.check})", style="bold"))
        elif isinstance(event, ev.CheckFinished) and not event.cancelled:
            if event.passed:
                self.write(Text(f"  check passes ({event.n_passed} passed)", style="green"))
            else:
                first = f" — {event.failing[0]}: {event.first_failure}" if event.failing else ""
                self.write(Text(f"  check fails ({event.n_failed} failing){first}", style="red"))
        elif isinstance(event, ev.ActionTaken):
            self.write(Text(f"step {event.step}: {event.summary}", style="bold"))
            if event.action == "write":
                self.write(Syntax(event.text, _lexer(event.path), theme=SYNTAX_THEME, line_numbers=False))
            elif event.action == "run":
                self.write(Syntax(event.text, "bash", theme=SYNTAX_THEME))
        elif isinstance(event, ev.Observation):
            self.write(Text(f"  exit {event.exit_code}\n{_tail(event.output)}", style="dim"))
        elif isinstance(event, ev.EditUndone):
            self.write(Text(f"  edit undone, it broke the code: {event.failure}", style="yellow"))
        elif isinstance(event, ev.EditSkipped):
            self.write(Text(f"  edit not kept: it changed only comments or layout of {event.path}", style="yellow"))
        elif isinstance(event, ev.FormatProblem):
            self.write(Text(f"step {event.step}: no valid action — {event.hint.splitlines()[0]}", style="yellow"))
        elif isinstance(event, ev.StuckVerdict):
            self.write(Text(f"stuck ({event.verdict} since step {event.since_step}): {event.evidence}",
                            style="bold red"))
        elif isinstance(event, ev.RungTaken) and event.rung == "reflect":
            self.write(Text(f"reflection: {event.detail}", style="magenta"))
        elif isinstance(event, ev.Interjected):
            self.write(Text(f"you: {event.text}", style="cyan"))
        elif isinstance(event, ev.Taught):
            self.write(Text(f"you taught: {event.text}", style="bold cyan"))
        elif isinstance(event, ev.LearningFinished):
            verdict = "accepted" if event.accepted else "rolled back"
            self.write(Text(f"update ({event.source}) {verdict}: {event.reason}",
                            style="green" if event.accepted else "red"))
        elif isinstance(event, ev.Paused):
            self.write(Text(f"paused before step {event.step}", style="yellow"))
        elif isinstance(event, ev.Resumed):
            self.write(Text("resumed", style="yellow"))
        elif isinstance(event, ev.PhaseFinished) and event.phase == "verify":
            self.write(Text(f"re-verified in a clean sandbox: {event.detail}", style="green" if event.ok else "red"))
        elif isinstance(event, ev.RunFinished):
            style = "bold green" if event.fixed else "bold red"
            self.write(Text(f"■ {event.status} — {event.reason}", style=style))


class ModelWriting(Static):
    """The reply while the model writes it (hidden otherwise)."""

    def __init__(self) -> None:
        super().__init__("", id="writing")
        self.display = False
        self.buffer = ""

    def start(self, purpose: str) -> None:
        self.buffer = ""
        doing = {"action": "writing", "reflection": "reflecting", "sample": "sampling an attempt"}
        self.border_title = f"the model is {doing.get(purpose, purpose)}"
        self.display = True
        self.update("")

    def add(self, text: str) -> None:
        self.buffer += text
        self.update(Text("\n".join(self.buffer.splitlines()[-8:])))

    def stop(self) -> None:
        self.display = False


class ChecksPanel(Vertical):
    """Failing tests at each check, as a sparkline and in numbers."""

    def __init__(self) -> None:
        super().__init__(id="checks")
        self.border_title = "checks"
        self.failing: list[int] = []

    def compose(self) -> ComposeResult:
        yield Sparkline([], id="failing-sparkline")
        yield Label("no check yet", id="checks-text")

    def add(self, event: ev.CheckFinished) -> None:
        self.failing.append(event.n_failed)
        self.query_one(Sparkline).data = list(self.failing)
        trail = " → ".join(str(n) for n in self.failing[-8:])
        state = "[green]passes[/]" if event.passed else f"[red]{event.n_failed} failing[/]"
        self.query_one("#checks-text", Label).update(f"failing: {trail}\nnow: {state}")

    def reset(self) -> None:
        self.failing.clear()
        self.query_one(Sparkline).data = []
        self.query_one("#checks-text", Label).update("no check yet")


class VerdictsPanel(VerticalScroll):
    """Stuck verdicts as they happen, and the rung the agent takes next."""

    def __init__(self) -> None:
        super().__init__(id="verdicts")
        self.border_title = "stuck verdicts"

    def add_verdict(self, event: ev.StuckVerdict) -> None:
        self.mount(Label(f"[b]{event.verdict}[/] since step {event.since_step}", classes="verdict"))

    def add_rung(self, event: ev.RungTaken) -> None:
        self.mount(Label(f"  → {event.rung}", classes="rung"))

    def reset(self) -> None:
        self.remove_children()


class UpdateCard(Vertical):
    """One update: where it came from, its loss per step, KL against the budget, the guard's verdict."""

    def __init__(self, event: ev.LearningStarted, kl_budget: float) -> None:
        super().__init__(classes="update-card")
        self.source, self.total, self.kl_budget = event.source, event.total_steps, kl_budget
        self.losses: list[float] = []
        self.status = f"training 0/{self.total}…"
        self.border_title = "teach" if event.source == "teach" else "update (stuck)"

    def compose(self) -> ComposeResult:
        yield Sparkline(list(self.losses), classes="loss")
        yield Label(self.status, classes="update-status")

    def _show(self) -> None:
        """Render the state (events can arrive before the card's widgets are mounted; then compose does)."""
        for sparkline in self.query(Sparkline):
            sparkline.data = list(self.losses)
        for label in self.query(".update-status").results(Label):
            label.update(self.status)

    def step(self, event: ev.LearningStep) -> None:
        self.losses.append(event.loss)
        kl = f" · KL {event.kl:.2f}/{self.kl_budget:.2f}" if event.kl is not None else ""
        self.status = f"step {event.update_step}/{event.total_steps} · loss {event.loss:.3f}{kl}"
        self._show()

    def finish(self, event: ev.LearningFinished) -> None:
        verdict = "[green]accepted[/]" if event.accepted else "[red]rolled back[/]"
        kl = f"KL {event.kl:.2f}/{self.kl_budget:.2f}" if event.kl is not None else "KL –"
        self.status = f"{verdict} · {kl} · {event.steps} steps · {event.seconds:.0f} s\n{event.reason}"
        self.add_class("accepted" if event.accepted else "rolled-back")
        self._show()


class LearningPanel(VerticalScroll):
    """Every update, live, and which adapter the model uses now."""

    def __init__(self, kl_budget: float) -> None:
        super().__init__(id="learning")
        self.border_title = "learning"
        self.kl_budget = kl_budget
        self.card: UpdateCard | None = None
        self.updates = 0

    def compose(self) -> ComposeResult:
        yield Label("adapter: base model", id="adapter")

    def start(self, event: ev.LearningStarted) -> None:
        self.card = UpdateCard(event, self.kl_budget)
        self.mount(self.card)
        self.scroll_end(animate=False)

    def step(self, event: ev.LearningStep) -> None:
        if self.card is not None:
            self.card.step(event)

    def finish(self, event: ev.LearningFinished) -> None:
        if self.card is not None:
            self.card.finish(event)
        self.updates += 1
        if event.accepted:
            self.query_one("#adapter", Label).update(f"adapter: update #{self.updates} ({event.source}) in use")

    def reset(self) -> None:
        for card in self.query(UpdateCard):
            card.remove()
        self.card, self.updates = None, 0
        self.query_one("#adapter", Label).update("adapter: base model")


def _lexer(path: str) -> str:
    return "python" if path.endswith(".py") or not path else Syntax.guess_lexer(path)


def _tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
