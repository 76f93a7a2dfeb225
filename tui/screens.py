"""Screens on top of the main one: what is missing (setup), teaching, reviewing the diff, help."""

from __future__ import annotations

from dataclasses import dataclass

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Markdown, Static

from .widgets import SYNTAX_THEME


@dataclass(frozen=True)
class Problem:
    """Something the app needs that is missing, and the command that fixes it."""

    what: str
    detail: str
    fix: str


class SetupScreen(Screen[None]):
    """Shown instead of a traceback when Docker, the model or the repo is missing."""

    BINDINGS = [Binding("r", "retry", "Check again"), Binding("q", "app.quit", "Quit")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(id="setup")
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-box"):
            yield Label("[b]unstuck needs a few things first[/]", id="setup-title")
            yield DataTable(id="setup-table", show_cursor=False)
            yield Label("Run the fix commands in a terminal, then press [b]r[/] to check again.", id="setup-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("missing", "detail", "fix with")
        for problem in self.problems:
            table.add_row(problem.what, problem.detail, problem.fix)

    def action_retry(self) -> None:
        self.dismiss(None)


class TeachScreen(ModalScreen[str | None]):
    """One line: the fact the agent should believe. Enter teaches, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="teach-box"):
            yield Label("[b]What should it believe?[/]  A fact, e.g. amounts are integers in cents, not floats.")
            yield Input(placeholder="the fact, in one line", id="fact")
            yield Label("Enter: a guarded weight update with this as the truth · Escape: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ReviewVerdict:
    """What the manager decided: ``accept``, ``reject`` or ``send-back`` (with a comment)."""

    decision: str
    comment: str = ""


class ReviewScreen(ModalScreen[ReviewVerdict]):
    """The run's patch as a highlighted diff and its re-verification: accept, reject, or send back."""

    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("s", "send_back", "Send back"),
        Binding("escape", "reject", "Close", show=False),
    ]

    def __init__(self, patch: str, status: str, verified: bool, reason: str) -> None:
        super().__init__(id="review")
        self.patch, self.status, self.verified, self.reason = patch, status, verified, reason

    def compose(self) -> ComposeResult:
        verdict = ("[green]re-verified in a clean sandbox: the check passes[/]" if self.verified
                   else "[red]not verified[/] — the check did not pass from a clean sandbox")
        with Vertical(id="review-box"):
            yield Label(f"[b]{self.status}[/] — {self.reason}\n{verdict}", id="review-status")
            with VerticalScroll(id="diff"):
                yield Static(Syntax(self.patch or "(no changes)", "diff", theme=SYNTAX_THEME), id="diff-text")
            yield Input(placeholder="send back with a comment (Enter)", id="comment")
            with Horizontal(id="review-buttons"):
                yield Button("Accept (a)", id="accept", variant="success")
                yield Button("Reject (r)", id="reject", variant="error")
                yield Button("Send back (s)", id="send-back", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#comment").display = False
        self.query_one("#accept", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"accept": self.action_accept, "reject": self.action_reject, "send-back": self.action_send_back}[
            event.button.id or "reject"]()

    def action_accept(self) -> None:
        self.dismiss(ReviewVerdict("accept"))

    def action_reject(self) -> None:
        self.dismiss(ReviewVerdict("reject"))

    def action_send_back(self) -> None:
        comment = self.query_one("#comment", Input)
        comment.display = True
        comment.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(ReviewVerdict("send-back", event.value.strip()))


HELP = """\
# unstuck — you are the manager

Type a **goal** and press Enter: the agent works on a copy of the repo in a sandbox and streams
every step. While it runs, whatever you type goes into its next prompt (an **interjection**).

| key | what it does |
|---|---|
| Enter | start a run with the goal · during a run: interject |
| F2 or Ctrl+T | **teach**: state a fact; it becomes a guarded weight update |
| F3 | pause / resume at the next step boundary |
| F4 | stop the run (the sandbox is removed; nothing is lost) |
| F6 | review the diff: accept (applied with `git apply`), reject, or send back with a comment |
| Ctrl+P | command palette |
| Ctrl+C, Ctrl+Q, q | quit (the run is cancelled and cleaned up) |

Nothing touches your repo until you accept a diff; a repo that changed during the run is refused.
The **learning** panel shows every update — loss per step, KL to the base model against its
budget, accepted or rolled back and why — whether it came from a stuck verdict or from you.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
