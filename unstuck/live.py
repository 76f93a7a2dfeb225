"""The terminal view of a run (``unstuck run``): a line per step, a spinner while the model writes,
checks or learns, and a summary table at the end. One consumer of the run's event stream.

On a terminal it animates; elsewhere (CI logs, pipes) it prints plain lines.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import events as ev
from .outcome import Outcome


class LiveView:
    """Turns run events into terminal output; pass it as ``on_event``."""

    def __init__(self, console: Console | None = None, max_steps: int = 0) -> None:
        self.console = console or Console(stderr=True)
        self.max_steps = max_steps
        self.status: Any = None
        self.streamed = 0

    def __call__(self, event: ev.Event) -> None:
        handler = getattr(self, "on_" + event.kind.replace("-", "_"), None)
        if handler is not None:
            handler(event)

    # -- the spinner -----------------------------------------------------------------------------

    def _spin(self, text: str) -> None:
        if not self.console.is_terminal:
            return
        if self.status is None:
            self.status = self.console.status(text)
            self.status.start()
        else:
            self.status.update(text)

    def _stop(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None

    def _print(self, text: str) -> None:
        self._stop()
        self.console.print(text)

    # -- events ----------------------------------------------------------------------------------

    def on_phase_started(self, event: ev.PhaseStarted) -> None:
        self._spin(f"{event.detail or event.phase}…")

    def on_phase_finished(self, event: ev.PhaseFinished) -> None:
        self._stop()
        if event.phase == "verify":
            self._print(f"  re-verified from a clean sandbox: {event.detail} ({event.seconds:.1f} s)")
        elif not event.ok:
            self._print(f"[red]{event.phase}[/]: {escape(event.detail)}")

    def on_generation_started(self, event: ev.GenerationStarted) -> None:
        self.streamed = 0
        budget = f"/{self.max_steps}" if self.max_steps else ""
        what = {"action": "writing", "reflection": "reflecting", "sample": "sampling an attempt"}.get(event.purpose,
                                                                                                     event.purpose)
        self._spin(f"step {event.step}{budget}: the model is {what}…")

    def on_text(self, event: ev.TextChunk) -> None:
        self.streamed += len(event.text)
        if self.status is not None:
            self.status.update(f"step {event.step}: the model is writing… {self.streamed} chars")

    def on_format_problem(self, event: ev.FormatProblem) -> None:
        self._print(f"[yellow]step {event.step}[/]: no valid action in the reply; "
                    f"format hint: {escape(event.hint.splitlines()[0])}")

    def on_edit_undone(self, event: ev.EditUndone) -> None:
        self._print(f"  [yellow]edit undone[/], it broke the code: {escape(event.failure[:100])}")

    def on_edit_skipped(self, event: ev.EditSkipped) -> None:
        self._print(f"  [yellow]edit not kept[/]: it changed only comments or layout of {escape(event.path)}")

    def on_action(self, event: ev.ActionTaken) -> None:
        self._print(f"[bold]step {event.step}[/]: {escape(event.summary)}")

    def on_observation(self, event: ev.Observation) -> None:
        last = event.output.strip().splitlines()[-1][:100] if event.output.strip() else ""
        self._print(f"  exit {event.exit_code}  [dim]{escape(last)}")

    def on_check_started(self, event: ev.CheckStarted) -> None:
        self._spin("running the check…")

    def on_check_finished(self, event: ev.CheckFinished) -> None:
        if event.cancelled:
            return self._stop()
        if event.passed:
            return self._print(f"  check [green]passes[/] ({event.n_passed} passed)")
        what = f" — {event.failing[0]}: {event.first_failure[:90]}" if event.failing else ""
        self._print(f"  check [red]fails[/] ({event.n_failed} failing){escape(what)}")

    def on_stuck(self, event: ev.StuckVerdict) -> None:
        self._print(f"[bold red]stuck[/] ({event.verdict} since step {event.since_step}): {escape(event.evidence)}")

    def on_rung(self, event: ev.RungTaken) -> None:
        lines = {
            "reflect": f"[magenta]reflect[/]: {escape(event.detail[:200])}",
            "nudge": "[magenta]nudge[/]: the repeated failure is named in the next prompt",
            "give-up": "[magenta]give up[/]: updates did not get the agent unstuck",
            "route-to-base": "[magenta]route to base[/]: the archived adapter did not help; using the base model",
        }
        if event.rung in lines:
            self._print(lines[event.rung])

    def on_learning_started(self, event: ev.LearningStarted) -> None:
        what = "teaching" if event.source == "teach" else "updating beliefs"
        self._spin(f"{what}: LoRA step 0/{event.total_steps}…")

    def on_learning_step(self, event: ev.LearningStep) -> None:
        kl = f", KL {event.kl:.3f}" if event.kl is not None else ""
        self._spin(f"updating beliefs: LoRA step {event.update_step}/{event.total_steps}, loss {event.loss:.3f}{kl}…")

    def on_learning_finished(self, event: ev.LearningFinished) -> None:
        verdict = "[green]accepted[/]" if event.accepted else "[red]rolled back[/]"
        kl = f"{event.kl:.3f}" if event.kl is not None else "-"
        loss = f"loss {event.loss_before or 0:.3f} → {event.loss_after or 0:.3f}"
        label = "taught" if event.source == "teach" else "update"
        self._print(f"[bold]{label}[/] {verdict}: {escape(event.reason)} "
                    f"({event.steps} steps, {event.seconds:.0f} s, {loss}, KL {kl})")

    def on_interjected(self, event: ev.Interjected) -> None:
        self._print(f"[cyan]manager[/]: {escape(event.text)}")

    def on_taught(self, event: ev.Taught) -> None:
        self._print(f"[cyan]manager teaches[/]: {escape(event.text)}")

    def on_paused(self, event: ev.Paused) -> None:
        self._print(f"[yellow]paused[/] before step {event.step}")

    def on_resumed(self, event: ev.Resumed) -> None:
        self._print("[yellow]resumed[/]")

    def on_run_finished(self, event: ev.RunFinished) -> None:
        self._stop()
        if event.outcome is not None:
            self.console.print(summary_table(Outcome(**event.outcome)))


def summary_table(outcome: Outcome) -> Table:
    """The end-of-run summary."""
    colour = "green" if outcome.fixed else "red"
    table = Table(title="outcome", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("status", f"[{colour}]{outcome.status}[/] — {escape(outcome.reason)}")
    table.add_row("verified", "yes, from a clean sandbox" if outcome.verified else "no")
    table.add_row("failing tests", f"{outcome.start_failures} → {outcome.end_failures}")
    table.add_row("steps", str(outcome.steps))
    table.add_row("time", f"{outcome.seconds:.0f} s")
    table.add_row("tokens", str(outcome.tokens))
    table.add_row("stuck verdicts", ", ".join(v["kind"] for v in outcome.verdicts) or "none")
    table.add_row("ladder", " → ".join(r["rung"] for r in outcome.rungs) or "-")
    accepted = sum(1 for u in outcome.updates if u["accepted"])
    table.add_row("updates", f"{len(outcome.updates)} ({accepted} accepted)")
    table.add_row("patch", f"{len(outcome.patch.splitlines())} lines" if outcome.patch else "none")
    return table
