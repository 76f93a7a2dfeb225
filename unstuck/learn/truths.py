"""The facts a failure reveals: what a test expects, a real signature, a missing name.

Small models use such facts poorly when they are only in the context; the learner turns them
into training targets instead.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..trajectory import Failure

# `>       assert greet("Bob") == "Ahoy, Bob!"` — the source line pytest marks.
_ASSERT_SOURCE = re.compile(r"^>\s+(?P<line>assert\s.+)$", re.M)
# `E       AssertionError: assert 'Hello, Bob!' == 'Ahoy, Bob!'` — the values pytest saw.
_ASSERT_VALUES = re.compile(r"assert (?P<actual>.+?) == (?P<expected>.+?)\s*$", re.M)
_FACT_TYPES = ("TypeError", "AttributeError", "NameError", "ImportError", "ModuleNotFoundError",
               "KeyError", "ValueError", "IndexError", "FileNotFoundError", "ZeroDivisionError")


@dataclass(frozen=True)
class Truth:
    """One revealed fact, with the wrong belief it replaces when known."""

    subject: str
    """What the fact is about, e.g. ``greet("Bob")``."""
    statement: str
    """The fact as a sentence: ``greet("Bob") must return "Ahoy, Bob!"``."""
    expected: str = ""
    actual: str = ""
    source: str = ""
    """The test id it came from."""

    @property
    def wrong_statement(self) -> str:
        return f"{self.subject} must return {self.actual}" if self.actual else ""


def truths_from_failure(failure: Failure) -> list[Truth]:
    """Facts in one failing test's report."""
    text = failure.text or failure.message
    found: list[Truth] = []
    source = _split_assert(text)
    values = _ASSERT_VALUES.search(failure.message or text)
    if source:
        expr, expected = source
        actual = values.group("actual").strip() if values else ""
        if _is_literal(expected) and expr != expected:
            found.append(Truth(expr, f"{expr} must return {expected}", expected, actual, failure.test_id))
        elif values and _is_literal(values.group("expected")):
            literal = values.group("expected").strip()
            found.append(Truth(expr, f"{expr} must return {literal}", literal, actual, failure.test_id))
    exc = failure.exc_type or ""
    if not found and exc in _FACT_TYPES and failure.message:
        message = failure.message.splitlines()[0].strip()
        if not message.startswith(exc):
            message = f"{exc}: {message}"
        subject = failure.frame or failure.test_id
        found.append(Truth(subject, f"Running {failure.test_id} raises {message}", source=failure.test_id))
    return found


def collect_truths(failures: list[Failure]) -> list[Truth]:
    """Every distinct fact across failures, in order of first appearance."""
    seen: dict[str, Truth] = {}
    for failure in failures:
        for truth in truths_from_failure(failure):
            seen.setdefault(truth.statement, truth)
    return list(seen.values())


def _split_assert(text: str) -> tuple[str, str] | None:
    """(left, right) source of the ``assert left == right`` line pytest marked, if any."""
    match = _ASSERT_SOURCE.search(text)
    if not match:
        return None
    line = match.group("line").strip()
    try:
        node = ast.parse(line).body[0]
    except SyntaxError:
        return None
    test = getattr(node, "test", None)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return None
    left = ast.get_source_segment(line, test.left)
    right = ast.get_source_segment(line, test.comparators[0])
    return (left, right) if left and right else None


def _is_literal(text: str) -> bool:
    """A Python literal a model can copy: a string, number, bool, None, or a simple container."""
    text = text.strip()
    if not text:
        return False
    if text[0] in "'\"" and text[-1] == text[0] and len(text) >= 2:
        return True
    if re.fullmatch(r"-?\d+(\.\d+)?|True|False|None", text):
        return True
    return text[0] in "[({" and text[-1] in "])}" and "(" not in text[1:-1]
