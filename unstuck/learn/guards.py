"""Relabelling a call that must raise and does not: a guard written into the function the test calls.

``parse_age("-4")`` must raise ``ValueError`` and returns -4. The value the call binds — a parameter, or a
local the function computes from it (``age = int(text)``) — is out of range in a way the test shows by
example: negative, zero, empty or None. The relabel writes ``if age < 0: raise ValueError(…)`` where that
value is first known, so that every such value raises, not only the test's. A number that is none of those
(``too_heavy(1000)``) gives no guard: its bound would be a guess — unless the message the test matches names
it: ``sack_weight(30)`` must raise ``heavier than 25``, and gets ``if kg > 25``.

``BERTHS.get(code, "")`` where the test wants a ``KeyError`` whose message matches ``unknown berth`` gets
``if code not in BERTHS: raise KeyError("unknown berth")`` (``mapping[key]`` alone would raise with the key
as its message).

Nothing runs the user's code: locals are evaluated only from literals, arithmetic, the call's literal
arguments and a few pure builtins (``recompute.value_of``).
"""

from __future__ import annotations

import ast
import builtins
import json
import re

from .recompute import MISSING, call_arguments, module_literals, plain_assignment, value_of
from .source_spans import start_of
from .truths import plain_text

_CONVERSIONS = {"int": int, "float": float, "str": str, "len": len, "abs": abs, "round": round,
                "min": min, "max": max, "sum": sum}


def guard_that_raises(code: str, tree: ast.AST, function: ast.FunctionDef | ast.AsyncFunctionDef | None,
                      subject: str, exception: str, match: str = "") -> str | None:
    """``code`` with a guard in ``function`` (the one ``subject`` calls) that raises ``exception`` for the
    value the call passes; None where the exception is not a name the module can raise, the function
    raises it already, or no value the call binds is out of range in a way a guard can name."""
    if function is None or not _raisable(tree, exception) or _raises_already(function, exception):
        return None
    try:
        call = ast.parse(subject, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call):
        return None
    arguments = call_arguments(function, call)
    if arguments is None:
        return None
    message = match if plain_text(match) else ""
    if exception == "KeyError" and message:
        found = _key_guard(code, function, arguments, message)
        if found:
            return found
    for name, value, before in _known_values(function, arguments, module_literals(tree)):
        condition = _past_the_bound_named(name, value, message) or _out_of_range(name, value)
        if condition:
            reason = message or f"{name} {condition[1]}"
            return _insert(code, before, f"if {condition[0]}:", f"raise {exception}({json.dumps(reason)})")
    return None


def _raisable(tree: ast.AST, exception: str) -> bool:
    """A builtin exception, or a class the module defines or imports under that name."""
    if isinstance(getattr(builtins, exception, None), type) and issubclass(getattr(builtins, exception), Exception):
        return True
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.ClassDef) and node.name == exception:
            return True
        if isinstance(node, ast.ImportFrom | ast.Import) and any((a.asname or a.name) == exception for a in node.names):
            return True
    return False


def _raises_already(function: ast.AST, exception: str) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == exception:
                return True
    return False


def _known_values(function: ast.FunctionDef | ast.AsyncFunctionDef, arguments: dict[str, object],
                  constants: dict[str, object]):
    """(name, value the call gives it, the statement a guard on it goes before): each parameter, then each
    local the function assigns in a straight line before any other statement."""
    body = function.body
    start = 1 if len(body) > 1 and ast.get_docstring(function) is not None else 0
    for name, value in arguments.items():
        if value is not MISSING:
            yield name, value, body[start]
    scope = {**constants, **{k: v for k, v in arguments.items() if v is not MISSING}}
    for index in range(start, len(body) - 1):
        target = plain_assignment(body[index])
        if target is None:
            return
        value = value_of(body[index].value, scope, _CONVERSIONS)  # type: ignore[attr-defined]
        if value is MISSING:
            return
        scope[target.id] = value
        yield target.id, value, body[index + 1]


def _past_the_bound_named(name: str, value: object, message: str) -> tuple[str, str] | None:
    """(``kg > 25``, its message) where ``message`` names one number and ``value``, a number, lies past it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    numbers = re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", message)
    if len(numbers) != 1:
        return None
    bound = float(numbers[0])
    if value == bound:
        return None  # past it or not, the message does not say which side the bound itself is on
    return f"{name} {'>' if value > bound else '<'} {numbers[0]}", message


def _out_of_range(name: str, value: object) -> tuple[str, str] | None:
    """(the condition that catches ``value`` and its kind, what the message says) — or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and value < 0:
        return f"{name} < 0", "must not be negative"
    if isinstance(value, int) and value == 0:
        return f"{name} < 1", "must be at least 1"
    if isinstance(value, float) and value == 0:
        return f"{name} <= 0", "must be positive"
    if isinstance(value, str) and not value.strip():
        return f"not {name}.strip()", "must not be empty"
    if isinstance(value, list | tuple | dict | set) and not value:
        return f"not {name}", "must not be empty"
    if value is None:
        return f"{name} is None", "is required"
    return None


def _key_guard(code: str, function: ast.FunctionDef | ast.AsyncFunctionDef, arguments: dict[str, object],
               message: str) -> str | None:
    """``if key not in mapping: raise KeyError(message)`` before the function's one lookup of a parameter."""
    lookups = []
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and node.args:
            lookups.append((node.func.value, node.args[0]))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            lookups.append((node.value, node.slice))
    keyed = [(m, k) for m, k in lookups if isinstance(k, ast.Name) and k.id in arguments]
    if len(keyed) != 1:
        return None
    mapping, key = keyed[0]
    mapping_text = ast.get_source_segment(code, mapping)
    if not mapping_text or not isinstance(mapping, ast.Name | ast.Attribute):
        return None
    body = function.body
    first = body[1] if len(body) > 1 and ast.get_docstring(function) is not None else body[0]
    return _insert(code, first, f"if {key.id} not in {mapping_text}:", f"raise KeyError({json.dumps(message)})")


def _insert(code: str, before: ast.stmt, line: str, body: str) -> str | None:
    """``code`` with ``line`` and its indented ``body`` put before the statement ``before``; None where that
    statement shares its line with another (no place for a block)."""
    at = code.rfind("\n", 0, start_of(code, before)) + 1
    indent = code[at:start_of(code, before)]
    if indent.strip():
        return None
    return f"{code[:at]}{indent}{line}\n{indent}    {body}\n{code[at:]}"
