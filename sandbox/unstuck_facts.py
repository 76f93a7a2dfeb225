"""unstuck's pytest plugin: what a failing test reveals, read from the real objects.

unstuck loads it into the check (``PYTEST_ADDOPTS=-p unstuck_facts``); it changes no outcome and no
output. For each failing test it adds JUnit properties named ``unstuck.fact``, each a JSON object:

- ``{"kind": "compare", "op": "==", "left": repr, "right": repr, "expected": repr?}`` — the operands of a
  failed ``assert a OP b`` (``pytest_assertrepr_compare`` sees them), ``expected`` for ``pytest.approx``;
- ``{"kind": "assert", "source": …, "left": src, "op": …, "right": src}`` — the failing statement, whole
  (multi-line asserts included), and for unittest assertions their call;
- ``{"kind": "unittest", "method": "assertEqual", "args": [repr, …]}``;
- ``{"kind": "raises", "expected": "ValueError", "match": …}`` — a ``pytest.raises`` or ``assertRaises``
  that saw nothing raised;
- ``{"kind": "exception", "type": …, "message": …, "name"?, "object_type"?, "attributes"?, "callable"?,
  "signature"?, "key"?}`` — an exception raised in the code under test, with what it names.

Only the standard library and pytest: it runs in the project's own interpreter in the sandbox.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import inspect
import json
import re
import textwrap
import unittest

import pytest

PROPERTY = "unstuck.fact"
MAX_REPR = 600

_current = {"item": None, "facts": []}


def _repr(value):
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ is the project's, not ours
        text = f"<{type(value).__name__}>"
    return text if len(text) <= MAX_REPR else text[: MAX_REPR - 3] + "..."


def _record(fact):
    if _current["item"] is not None:
        _current["facts"].append(fact)


def pytest_assertrepr_compare(config, op, left, right):
    fact = {"kind": "compare", "op": op, "left": _repr(left), "right": _repr(right),
            "left_type": type(left).__name__, "right_type": type(right).__name__}
    expected = getattr(right, "expected", None)
    if expected is not None and type(right).__name__.startswith("Approx"):
        fact["expected"] = _repr(expected)
    _record(fact)
    return None


def _recording(method_name, original):
    def recorded(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except self.failureException:
            _record({"kind": "unittest", "method": method_name, "args": [_repr(a) for a in args[:2]]})
            raise

    recorded.__name__ = original.__name__
    recorded.__doc__ = original.__doc__
    return recorded


def pytest_configure(config):
    for name in ("assertEqual", "assertNotEqual", "assertIn", "assertNotIn", "assertTrue", "assertFalse",
                 "assertIs", "assertIsNone", "assertAlmostEqual", "assertGreater", "assertLess",
                 "assertGreaterEqual", "assertLessEqual", "assertCountEqual", "assertDictEqual", "assertListEqual"):
        original = getattr(unittest.TestCase, name, None)
        if original is not None and not getattr(original, "_unstuck", False):
            wrapped = _recording(name, original)
            wrapped._unstuck = True
            setattr(unittest.TestCase, name, wrapped)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    _current["item"], _current["facts"] = item, []
    try:
        yield
    finally:
        _current["item"] = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.failed or call.excinfo is None:
        return
    facts = list(_current["facts"])
    with contextlib.suppress(Exception):  # reading facts must never break the project's test run
        facts.extend(_from_exception(item, call.excinfo))
    for fact in facts:
        item.user_properties.append((PROPERTY, json.dumps(fact)))


def _from_exception(item, excinfo):
    facts = []
    statement = _failing_statement(item, excinfo)
    if statement:
        facts.append(statement)
    value = excinfo.value
    kind = type(value).__name__
    message = str(value)
    if kind == "Failed" and message.startswith("DID NOT RAISE"):
        fact = {"kind": "raises", "expected": message.split("'")[1].split(".")[-1] if "'" in message else message}
        match = re.search(r"match=(['\"])(.+?)\1", (statement or {}).get("source", ""))
        if match:
            fact["match"] = match.group(2)
        facts.append(fact)
    elif kind == "AssertionError" and message.endswith(" not raised"):
        facts.append({"kind": "raises", "expected": message.split()[0]})
    elif kind not in ("AssertionError", "Failed"):
        facts.append(_exception_fact(value, excinfo))
    return facts


def _failing_statement(item, excinfo):
    """The test's failing statement as written, with the parts of its comparison or assertion call."""
    path = str(getattr(item, "path", getattr(item, "fspath", "")))
    entries = [e for e in excinfo.traceback if str(e.path) == path]
    if not entries:
        return None
    source = textwrap.dedent(str(entries[-1].statement)).strip()
    fact = {"kind": "assert", "source": source}
    try:  # a block's header alone (`with pytest.raises(E):`) parses with a body added
        node = ast.parse(source + (" pass" if source.endswith(":") else "")).body[0]
    except (SyntaxError, IndexError):
        return fact
    if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1:
        fact.update(left=ast.get_source_segment(source, node.test.left),
                    op=type(node.test.ops[0]).__name__,
                    right=ast.get_source_segment(source, node.test.comparators[0]))
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        fact.update(call=name, args=[ast.get_source_segment(source, a) for a in call.args])
    elif isinstance(node, ast.With):
        fact["with"] = ast.get_source_segment(source, node.items[0].context_expr)
        body = _with_body(item, entries[-1].lineno)
        if body:
            fact["body"] = body
    return fact


def _with_body(item, lineno):
    """The first statement inside the ``with`` block at 0-based ``lineno`` of the test's file."""
    try:
        lines, start = inspect.getsourcelines(item.function)
    except (OSError, TypeError, AttributeError):
        return None
    source = textwrap.dedent("".join(lines))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.With) and node.lineno + start - 2 == lineno and node.body:
            return ast.get_source_segment(source, node.body[0])
    return None


def _exception_fact(value, excinfo):
    fact = {"kind": "exception", "type": type(value).__name__, "message": str(value)[:MAX_REPR]}
    if isinstance(value, NameError) and getattr(value, "name", None):
        fact["name"] = value.name
    if isinstance(value, AttributeError) and getattr(value, "name", None):
        fact["name"] = value.name
        target = getattr(value, "obj", None)
        if target is not None:
            attributes = sorted(a for a in dir(target) if not a.startswith("_"))
            fact.update(object_type=type(target).__name__, attributes=attributes[:40],
                        instance=_repr(getattr(target, "__dict__", {})),
                        close=difflib.get_close_matches(value.name, attributes, n=3))
    if isinstance(value, KeyError) and value.args:
        fact["key"] = _repr(value.args[0])
    if isinstance(value, TypeError):
        called = re.match(r"(\w+)\(\) ", str(value))
        if called:
            fact["callable"] = called.group(1)
            frame = excinfo.traceback[-1].frame
            for scope in (frame.f_locals, frame.f_globals):
                function = scope.get(called.group(1))
                if callable(function):
                    with contextlib.suppress(TypeError, ValueError):
                        fact["signature"] = f"{called.group(1)}{inspect.signature(function)}"
                    break
    return fact
