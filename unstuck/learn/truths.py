"""The facts a failure reveals: what a test expects, a real signature, an attribute, a missing key.

Read from the structured facts unstuck's pytest plugin records (``Failure.facts``: the real
operands, the whole failing statement, what an exception names), and from the failure's text
where there are none (a collection error, an older run). Small models use such facts poorly when
they are only in the context; the learner turns them into training targets instead.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..trajectory import Failure

# `>       assert greet("Bob") == "Ahoy, Bob!"` — the source line pytest marks.
_ASSERT_SOURCE = re.compile(r"^>\s+(?P<line>assert\s.+)$", re.M)
# `  File "check_looms.py", line 3, in <module>` / `    assert loom_count() == 12, "…"` — Python's own
# traceback of an assert that failed outside pytest (a check script).
_TRACEBACK_ASSERT = re.compile(r"^\s*File \"[^\"]+\", line \d+.*\n\s+(?P<line>assert\s.+)$", re.M)
# `E       AssertionError: assert 'Hello, Bob!' == 'Ahoy, Bob!'` — the values pytest saw.
_ASSERT_VALUES = re.compile(r"assert (?P<actual>.+?) == (?P<expected>.+?)\s*$", re.M)
_FACT_TYPES = ("TypeError", "AttributeError", "NameError", "ImportError", "ModuleNotFoundError",
               "KeyError", "ValueError", "IndexError", "FileNotFoundError", "ZeroDivisionError")
_UNITTEST = {"assertEqual": "==", "assertNotEqual": "!=", "assertIn": "in", "assertNotIn": "not in",
             "assertGreater": ">", "assertLess": "<", "assertGreaterEqual": ">=", "assertLessEqual": "<=",
             "assertAlmostEqual": "==", "assertListEqual": "==", "assertDictEqual": "==", "assertIs": "is"}


@dataclass(frozen=True)
class Truth:
    """One revealed fact, with the wrong belief it replaces when known."""

    subject: str
    """What the fact is about, e.g. ``greet("Bob")``."""
    statement: str
    """The fact as a sentence: ``greet("Bob") must return "Ahoy, Bob!"``."""
    expected: str = ""
    """The right value as Python source (``"Ahoy, Bob!"``), the boundary of a comparison, the needle
    of ``in``, or the right name; empty when the fact has none."""
    actual: str = ""
    """What the code produced (``'Hello, Bob!'``), or the wrong name."""
    source: str = ""
    """The test id it came from."""
    relation: str = "=="
    """``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in`` (values), ``name`` (a name
    that must change: ``actual`` → ``expected``), ``undefined`` (``actual`` is not defined; the code
    must use a name it defines), ``parameter`` (``expected`` must be a parameter of
    the function ``subject``), ``key`` (``expected`` must be a key; ``actual``
    its value), ``message`` (an exception's message: ``actual`` must become ``expected``), ``raises``
    (``subject`` must raise ``expected``), ``true`` / ``false`` (``subject`` must be truthy / falsy)
    or ``fact`` (a statement only)."""
    match: str = ""
    """For ``raises``: the text its message must match (``pytest.raises(match=…)``), where the test gives one."""

    @property
    def returned(self) -> str:
        """What the code gave, where the fact compares a value; empty for a name, a key or a message."""
        return self.actual if self.relation in ("==", "!=", "<", "<=", ">", ">=", "in", "not in") else ""

    @property
    def wrong_statement(self) -> str:
        return f"{self.subject} must return {self.actual}" if self.actual and self.relation == "==" else ""


def collect_truths(failures: list[Failure]) -> list[Truth]:
    """Every distinct fact across failures, in order of first appearance."""
    seen: dict[str, Truth] = {}
    for failure in failures:
        for truth in truths_from_failure(failure):
            seen.setdefault(truth.statement, truth)
    return list(seen.values())


def truths_from_failure(failure: Failure) -> list[Truth]:
    """Facts in one failing test's report: structured facts first, its text otherwise."""
    return _from_facts(failure) or _message_mismatch(failure) or _from_text(failure)


# ``pytest.raises(E, match=…)`` saw E with another message; unittest's ``assertRaisesRegex`` likewise.
_MESSAGE_MISMATCH = (
    re.compile(r"Regex pattern did not match\.\s*\n(?:E\s+)?Regex: (?P<regex>.+?)\s*\n"
               r"(?:E\s+)?Input: (?P<said>.+?)\s*$", re.M),
    re.compile(r"AssertionError: (?P<regex>\".+?\") does not match (?P<said>\".+?\")\s*$", re.M),
)


def plain_text(pattern: str) -> bool:
    """A regex that matches only itself (``unknown berth``; not ``unknown .*``)."""
    return bool(pattern) and not set(pattern) & set(".^$*+?{}[]\\|()")


def _message_mismatch(failure: Failure) -> list[Truth]:
    """The message an expected exception must match, and the one it had: where the pattern is plain
    text, the literal that wrote the wrong message can be relabelled (relation ``message``)."""
    text = f"{failure.message}\n{failure.text}"
    found = next((m for m in (p.search(text) for p in _MESSAGE_MISMATCH) if m), None)
    if found is None:
        return []
    regex, said = found["regex"], found["said"]
    statement = next((f for f in failure.facts or [] if f.get("kind") == "assert"), {})
    call = statement.get("body") or failure.frame or "the call"
    try:
        pattern = ast.literal_eval(regex)
    except (ValueError, SyntaxError):
        pattern = None
    plain = isinstance(pattern, str) and plain_text(pattern)
    statement_text = f"{call} must raise an error whose message matches {regex} (its message was {said})"
    return [Truth(call, statement_text, regex if plain else "", said if plain else "", failure.test_id,
                  "message" if plain else "raises")]


# -- from the plugin's facts ------------------------------------------------------------------------


def _from_facts(failure: Failure) -> list[Truth]:
    facts = failure.facts or []
    statement = next((f for f in facts if f.get("kind") == "assert"), {})
    found: list[Truth] = []
    for fact in facts:
        kind = fact.get("kind")
        if kind == "compare":
            found.append(_compared(fact, statement, failure.test_id))
        elif kind == "unittest":
            found.extend(_unittest(fact, statement, failure.test_id))
        elif kind == "raises":
            found.append(_raises(fact, statement, failure.test_id))
        elif kind == "exception":
            found.extend(_exception(fact, statement, failure.test_id))
    return [t for t in found if t is not None]


def _compared(fact: dict, statement: dict, test: str) -> Truth:
    op = fact.get("op", "==")
    left_source, right_source = statement.get("left") or "", statement.get("right") or ""
    left, right = fact.get("left", ""), fact.get("expected") or fact.get("right", "")
    if fact.get("source") == "the check's output":  # expected/actual lines of a check that is not pytest
        left, right = _as_literal(left), _as_literal(right)
        if fact.get("subject"):  # the call the script checks, named from its source
            return Truth(fact["subject"], f"{fact['subject']} must return {right}", right, left, test)
        return Truth("the checked value", f"The check expects {right}, not {left}", right, left, test)
    if op in ("in", "not in"):
        container = right_source or "the result"
        verb = "must contain" if op == "in" else "must not contain"
        return Truth(container, f"{container} {verb} {left}", left, fact.get("right", ""), test, op)
    subject = left_source or "the result"
    right = _as_written(right, right_source)
    if op in ("is", "is not") and right in ("None", "True", "False"):  # a singleton: identity is equality
        op = "==" if op == "is" else "!="
    if op == "==":
        about = " about" if fact.get("expected") else ""
        verb = "must return" if subject.endswith(")") else "must be"
        return Truth(subject, f"{subject} {verb}{about} {right}", right, left, test)
    if op == "!=":
        return Truth(subject, f"{subject} must not be {right}", right, left, test, "!=")
    return Truth(subject, f"{subject} must be {op} {right} (it is {left})", right, left, test, op)


def _unittest(fact: dict, statement: dict, test: str) -> list[Truth]:
    method, values = fact.get("method", ""), fact.get("args", [])
    sources = statement.get("args") or []
    if method in ("assertTrue", "assertFalse"):
        subject = sources[0] if sources else "the condition"
        truthy = "true" if method == "assertTrue" else "false"
        return [Truth(subject, f"{subject} must be {truthy}", source=test, relation=truthy)]
    op = _UNITTEST.get(method)
    if op is None or len(values) < 2:
        return []
    if op in ("in", "not in"):  # assertIn(member, container)
        container = sources[1] if len(sources) > 1 else "the result"
        verb = "must contain" if op == "in" else "must not contain"
        return [Truth(container, f"{container} {verb} {values[0]}", values[0], values[1], test, op)]
    subject = sources[0] if sources else "the result"
    compared = {"op": op, "left": values[0], "right": values[1]}
    return [_compared(compared, {"left": subject, "right": sources[1] if len(sources) > 1 else ""}, test)]


def _raises(fact: dict, statement: dict, test: str) -> Truth:
    call = statement.get("body") or statement.get("args", [""])[-1:][0] or "the call"
    match = f" with a message matching {fact['match']!r}" if fact.get("match") else ""
    return Truth(call, f"{call} must raise {fact.get('expected')}{match}", fact.get("expected", ""), "", test,
                 "raises", match=fact.get("match") or "")


def _exception(fact: dict, statement: dict, test: str) -> list[Truth]:
    kind, message = fact.get("type", ""), fact.get("message", "")
    call = statement.get("left") or statement.get("source") or ""
    if kind == "TypeError" and fact.get("signature"):
        renamed = _renamed_parameter(fact["signature"], call, message)
        if renamed:
            wrong, right = renamed
            name = fact.get("callable", "the function")
            return [Truth(name, f"{name}'s parameter {wrong} must be named {right}: the test calls {call}",
                          right, wrong, test, "name")]
        name = fact.get("callable", "the function")
        missing = re.search(r"unexpected keyword argument '(\w+)'", message)
        if missing and name.isidentifier():  # no parameter to rename: the keyword is a new one
            return [Truth(name, f"{name} must take a parameter {missing.group(1)}: the test calls {call}",
                          missing.group(1), "", test, "parameter")]
        return [Truth(name, f"{message}; its signature is {fact['signature']}", source=test, relation="fact")]
    if kind == "AttributeError" and fact.get("name"):
        wrong = _attribute_holding(fact, statement)
        owner = fact.get("object_type", "the object")
        if wrong:
            return [Truth(owner, f"{owner} must keep it as .{fact['name']} (it has .{wrong})", fact["name"], wrong,
                          test, "name")]
        return [Truth(owner, f"{owner} has no attribute {fact['name']!r}", source=test, relation="fact")]
    if kind == "KeyError" and fact.get("key"):
        value = statement.get("right") if statement.get("op") == "Eq" else ""
        subject = (statement.get("left") or "").split("[")[0] or "the mapping"
        worth = f" with the value {value}" if value else ""
        return [Truth(subject, f"{subject} must have the key {fact['key']}{worth}", fact["key"], value or "", test,
                      "key")]
    if kind == "NameError" and fact.get("name"):
        return [Truth(call or test, f"{fact['name']} is not defined: the code must use the name it defines for it",
                      actual=fact["name"], source=test, relation="undefined")]
    return [Truth(call or test, f"Running {test} raises {kind}: {message}", source=test, relation="fact")]


def _renamed_parameter(signature: str, call: str, message: str) -> tuple[str, str] | None:
    """(the parameter the test does not pass, the keyword it passes instead) for an unexpected keyword."""
    unexpected = re.search(r"unexpected keyword argument '(\w+)'", message)
    parameters = re.findall(r"(\w+)(?:=[^,)]*)?(?=[,)])", signature[signature.find("("):])
    try:
        node = ast.parse(call).body[0].value if call else None
    except (SyntaxError, IndexError):
        node = None
    if not unexpected or not isinstance(node, ast.Call):
        return None
    passed = {k.arg for k in node.keywords} | set(parameters[: len(node.args)])
    unused = [p for p in parameters if p not in passed and p not in ("self", "cls")]
    return (unused[0], unexpected.group(1)) if len(unused) == 1 else None


def _attribute_holding(fact: dict, statement: dict) -> str | None:
    """The attribute the object has under another name: the one holding the value the test expects."""
    try:
        instance = ast.literal_eval(fact.get("instance", "{}"))
        expected = ast.literal_eval(statement.get("right", "")) if statement.get("op") == "Eq" else object()
    except (ValueError, SyntaxError):
        instance, expected = {}, object()
    holding = [name for name, value in instance.items() if value == expected] if isinstance(instance, dict) else []
    if len(holding) == 1:
        return holding[0]
    close = fact.get("close") or []
    return close[0] if close else None


def _as_written(value: str, source: str) -> str:
    """The test's own spelling of a literal value (``"Ahoy"`` where pytest shows ``'Ahoy'``)."""
    try:
        return source if source and ast.literal_eval(source) == ast.literal_eval(value) else value
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return value


def _as_literal(text: str) -> str:
    """A value a check printed, as Python source: itself when it is a literal, else a string."""
    try:
        ast.literal_eval(text)
        return text
    except (ValueError, SyntaxError):
        return repr(text)


# -- from the failure's text --------------------------------------------------------------------------


def _from_text(failure: Failure) -> list[Truth]:
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
        found.append(Truth(subject, f"Running {failure.test_id} raises {message}", source=failure.test_id,
                           relation="fact"))
    return found


def _split_assert(text: str) -> tuple[str, str] | None:
    """(left, right) source of the ``assert left == right`` line pytest marked — or, where pytest did not
    run, the one Python's traceback shows last (the innermost frame) — if any."""
    match = _ASSERT_SOURCE.search(text) or next(reversed(list(_TRACEBACK_ASSERT.finditer(text))), None)
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
