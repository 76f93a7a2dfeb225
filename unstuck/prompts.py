"""What the model sees each turn: one compact prompt rebuilt from the current state.

A small model follows a short, current picture better than a long history, so each turn shows
the goal, the repo map, the file under repair as it is now, the failure, the last command's
output, and the notes the ladder added (a nudge, a reflection, lessons from memory).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actions import FORMAT_HELP
from .trajectory import CheckResult

SYSTEM = "You are unstuck, a careful Python coding agent. You change the code until the check passes.\n"
FAILURE_CHARS = 1200
OBSERVATION_CHARS = 1200
FILE_CHARS = 6000
MANAGER_NOTES = 5


@dataclass
class TurnState:
    """Everything the next prompt is built from."""

    goal: str
    check: str
    repo_map: str
    focus: str | None
    focus_text: str = ""
    last_check: CheckResult | None = None
    last_run: tuple[str, str] | None = None
    """(command, output) of the last ``run`` action."""
    notes: list[str] = field(default_factory=list)
    """Lessons, nudges and reflections, oldest first."""
    attempts: int = 0
    """Edits made so far that did not fix the check."""
    manager: list[str] = field(default_factory=list)
    """What the manager interjected, oldest first; it stays in every prompt."""
    region: str | None = None
    """For a long focus file: the part the failure points at (the file is then edited, not rewritten)."""


def failure_summary(check: CheckResult | None, limit: int = FAILURE_CHARS) -> str:
    if check is None:
        return "(the check has not run yet)"
    if check.passed:
        return "The check passes."
    parts = []
    for failure in check.failures[:2]:
        text = (failure.text or failure.message).strip()
        parts.append(f"{failure.test_id}\n{text[-limit:]}")
    return "\n\n".join(parts) or check.output.strip()[-limit:]


def build_messages(state: TurnState) -> list[dict[str, str]]:
    """The chat messages for the next turn."""
    sections = [f"Goal: {state.goal}", f"Check: {state.check}", f"Files:\n{state.repo_map}",
                f"The check fails:\n{failure_summary(state.last_check)}"]
    if state.attempts:
        sections.append(f"You have made {state.attempts} edit(s) so far; the check still fails.")
    if state.last_run:
        command, output = state.last_run
        sections.append(f"$ {command}\n{output.strip()[-OBSERVATION_CHARS:] or '(no output)'}")
    sections.extend(f"Your manager says: {text}" for text in state.manager[-MANAGER_NOTES:])
    sections.extend(state.notes[-3:])
    # The file last, right before the instruction: the end of the prompt is what the learner
    # trains on (contexts are cut from the left), and what a small model attends to most.
    if state.focus and state.region:
        lines = len(state.focus_text.splitlines())
        sections.append(f"{state.focus} has {lines} lines; the part the failure points at:\n"
                        f"```python\n{state.region}```")
    elif state.focus:
        sections.append(f"{state.focus} now:\n```python\n{state.focus_text[-FILE_CHARS:]}```")
    sections.append(instruction(state.focus, edit=bool(state.region)))
    system = SYSTEM + FORMAT_HELP.format(focus=state.focus or "the file under repair")
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n\n".join(sections)}]


def instruction(focus: str | None, edit: bool = False) -> str:
    """The last line of every prompt: the one thing to do next, in the simplest form."""
    if focus and edit:
        return (f"Reply with the fixed functions or constants of {focus} in a ```python code block: they replace "
                "the ones of the same name (or use EDIT with SEARCH/REPLACE).")
    if focus:
        return f"Rewrite {focus} so that the check passes. Reply with the whole new file in a ```python code block."
    return "Reply with one action: a ```bash block with a command to run, or WRITE <path> and a code block."


def reflection_request(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Ask for a reflection: what the model believed and what the evidence says instead."""
    return [*messages[:-1], {"role": "user", "content": messages[-1]["content"].rsplit("\n\n", 1)[0] + (
        "\n\nDo not write code yet. In two short sentences: what did you believe, "
        "and what does the failing check show instead?")}]


def nudge(evidence: str) -> str:
    return (f"Note: you are stuck — {evidence}. Your last edits did not change the failure. "
            "Read the failing assertion: use exactly the values it expects, and try something different.")


def recall_notes(lessons: list[str], failed_edits: int) -> list[str]:
    """What memory recalled, as notes for the prompt."""
    notes = [f"Lesson from an earlier run on this repo: {lesson}" for lesson in lessons]
    if failed_edits:
        notes.append(f"Earlier runs made {failed_edits} edit(s) that did not fix this failure.")
    return notes
