"""The guard's format probe as the agent makes it: the prompt that just gave a valid action."""

from __future__ import annotations

from collections.abc import Callable

from ..actions import ACTION_STOP, Action, FormatError, parse_action
from ..repomap import same_code
from ..trajectory import Step
from .guard import FormatProbe

Messages = list[dict[str, str]]


def action_probe(messages: Messages, reply: str, tokens: int, max_new_tokens: int,
                 focus: str | None = None, land: Callable[[Action], Action] | None = None) -> FormatProbe:
    """The guard's format probe: the prompt that just gave ``reply``, a valid action of ``tokens``
    tokens. After an update the same prompt must still give an action, finished within twice that
    length or the correction's, up to ``max_new_tokens`` (where ``reply`` itself ran to that limit, a
    reply that does so again is the failed action again: the update was too weak), and — where
    ``reply`` wrote Python that compiled — Python that compiles; the probe also tells whether a reply
    is ``reply``'s action again.

    ``land``: the action as the agent would land it (``Agent.resolve``: the functions a whole-file
    write drops kept, stray tests dropped). A reply that differs from ``reply`` but lands the same
    file, or one that differs from it only in comments and layout, is the same action again (boatyard's
    sail_area: after an update the model wrote only ``MAST_HEIGHT = 9``; the function it dropped
    was kept, and the failed file landed again)."""
    focus = focus or "probe.py"
    given = parse_action(reply, focus)
    compiled = _compiles(given)

    def problem(text: str) -> str | None:
        try:
            action = parse_action(text, focus)
        except FormatError as error:
            return str(error)
        if compiled and not _compiles(action):
            return "its Python no longer compiles"
        return None

    def unchanged(text: str) -> bool:
        try:
            action = parse_action(text, focus)
        except FormatError:
            return False
        if action.key() == given.key():
            return True
        # Both landed on the file as it is when asked (after the update), like the next turn would.
        landed, again = _landed(given, land), _landed(action, land)
        return landed is not None and again is not None and (again.key() == landed.key() or _same_python(again, landed))

    return FormatProbe(messages, problem, min(max_new_tokens, 2 * tokens + 16), (ACTION_STOP,), unchanged,
                       ceiling=max_new_tokens, runaway=tokens >= max_new_tokens)


def recorded_probe(steps: list[Step], max_new_tokens: int, count_tokens: Callable[[str], int]) -> FormatProbe | None:
    """The format probe the agent would hand the guard after ``steps`` (their last parsed action)."""
    for step in reversed(steps):
        if not step.action or not step.output or step.action.get("kind") == "check":
            continue
        try:
            return action_probe(step.messages, step.output, step.tokens or count_tokens(step.output),
                                max_new_tokens, step.action.get("path") or None)
        except FormatError:
            continue
    return None


def _landed(action: Action, land: Callable[[Action], Action] | None) -> Action | None:
    """``action`` as the agent would land it; None where it would not land (or nothing says how)."""
    if land is None:
        return None
    try:
        return land(action)
    except (FormatError, OSError, ValueError):
        return None


def _same_python(a: Action, b: Action) -> bool:
    """Two writes of one Python file that differ only in comments and layout."""
    return a.kind == b.kind == "write" and a.path == b.path and a.path.endswith(".py") and same_code(a.text, b.text)


def _compiles(action: Action) -> bool:
    if action.kind != "write" or not (action.path or "").endswith(".py"):
        return False
    try:
        compile(action.text or "", action.path, "exec")
    except (SyntaxError, ValueError):
        return False
    return True
