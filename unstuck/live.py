"""The rich live view of a run: a line per step, a spinner while the model writes or learns,
and a summary table at the end."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from .agent import Event, Outcome


class LiveView:
    """Turns agent events into terminal output; pass it as ``on_event``."""

    def __init__(self, console: Console | None = None, max_steps: int = 0) -> None:
        self.console = console or Console(stderr=True)
        self.max_steps = max_steps
        self.status = None
        self.streamed = 0

    def _spin(self, text: str) -> None:
        if self.status is None:
            self.status = self.console.status(text)
            self.status.start()
        else:
            self.status.update(text)

    def _stop(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None

    def __call__(self, event: Event) -> None:
        handler = getattr(self, "on_" + event.kind.replace("-", "_"), None)
        if handler is not None:
            handler(**event.data)

    def on_phase(self, text: str) -> None:
        self._spin(text + "…")

    def on_thinking(self, step: int, what: str = "writing") -> None:
        self.streamed = 0
        budget = f"/{self.max_steps}" if self.max_steps else ""
        self._spin(f"step {step}{budget}: the model is {what}…")

    def on_text(self, step: int, text: str) -> None:
        self.streamed += len(text)
        if self.status is not None:
            self.status.update(f"step {step}: the model is writing… {self.streamed} chars")

    def on_format(self, step: int, hint: str) -> None:
        self._stop()
        self.console.print(f"[yellow]step {step}[/]: no valid action in the reply; format hint: {hint.splitlines()[0]}")

    def on_action(self, step: int, action: Any) -> None:
        self._stop()
        self.console.print(f"[bold]step {step}[/]: {action.summary()}")
        if action.changes_files or action.kind == "finish":
            self._spin("running the check…")

    def on_observation(self, step: int, exit_code: int, output: str) -> None:
        last = output.strip().splitlines()[-1][:100] if output.strip() else ""
        self.console.print(f"  exit {exit_code}  [dim]{last}")

    def on_check(self, step: int, check: Any) -> None:
        self._stop()
        if check.passed:
            self.console.print(f"  check [green]passes[/] ({check.n_passed} passed)")
        else:
            first = check.failures[0] if check.failures else None
            what = f" — {first.test_id}: {(first.message or first.exc_type).splitlines()[0][:90]}" if first else ""
            self.console.print(f"  check [red]fails[/] ({check.n_failed} failing){what}")

    def on_recall(self, lessons: list[str], episodes: int, adapter: int | None) -> None:
        if lessons or episodes or adapter:
            using = f"; archived adapter #{adapter} in use" if adapter else ""
            self.console.print(f"[cyan]memory[/]: {episodes} earlier run(s) on this failure, "
                               f"{len(lessons)} lesson(s){using}")

    def on_verdict(self, verdict: Any) -> None:
        self._stop()
        self.console.print(f"[bold red]stuck[/] ({verdict.kind} since step {verdict.since_step}): {verdict.evidence}")

    def on_rung(self, rung: str, at_step: int, verdict: str, **details: Any) -> None:
        self._stop()
        if rung == "reflect":
            self.console.print(f"[magenta]reflect[/]: {details.get('reflection', '')[:200]}")
        elif rung == "nudge":
            self.console.print("[magenta]nudge[/]: the repeated failure is named in the next prompt")
        elif rung == "give-up":
            self.console.print("[magenta]give up[/]: updates did not get the agent unstuck")
        elif rung == "route-to-base":
            self.console.print("[magenta]route to base[/]: the archived adapter did not help; using the base model")

    def on_learning(self, total: int) -> None:
        self.total = total
        self._spin(f"updating beliefs: LoRA step 0/{total}…")

    def on_learn_step(self, step: int, loss: float, kl: float | None) -> None:
        kl_text = f", KL {kl:.3f}" if kl is not None else ""
        self._spin(f"updating beliefs: LoRA step {step}/{getattr(self, 'total', '?')}, loss {loss:.3f}{kl_text}…")

    def on_update(self, report: Any) -> None:
        self._stop()
        verdict = "[green]accepted[/]" if report.accepted else "[red]rolled back[/]"
        kl = f"{report.kl:.3f}" if report.kl is not None else "-"
        loss = f"loss {report.loss_before or 0:.3f} → {report.loss_after or 0:.3f}"
        self.console.print(f"[bold]update[/] {verdict}: {report.reason} "
                           f"({report.steps} steps, {report.seconds:.0f} s, {loss}, KL {kl})")

    def on_done(self, outcome: Outcome) -> None:
        self._stop()
        self.console.print(summary_table(outcome))


def summary_table(outcome: Outcome) -> Table:
    """The end-of-run summary."""
    colour = "green" if outcome.fixed else "red"
    table = Table(title="unstuck run", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("status", f"[{colour}]{outcome.status}[/] — {outcome.reason}")
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
