"""Hindsight relabelling: the code an action wrote, with the wrong value, name or key replaced by the
one a failure revealed — only where the code itself writes the wrong one.

What it can see, in order of trust:

1. a literal that equals the wrong value (``"1.0.0"``, ``[16, 12]``, ``{"high": "06:00"}``, ``6``): it
   becomes the right one, written in the code's own quote style (every occurrence in the function the
   test calls where that function writes it, else every occurrence);
2. a string or f-string whose rendering is the wrong value (``f"Hello, {name}!"`` rendered
   ``'Hello, Bob!'``): its constant parts are re-cut around its placeholders so that it renders the
   right value (``f"Ahoy, {name}!"``); a placeholder showing a number the right value writes padded,
   rounded or grouped gets the format spec that writes it (``{number}`` → ``{number:02d}``); another
   placeholder whose rendering must change becomes literal text;
3. for strings, the differing part swapped inside string constants (``"/".join`` → ``"::".join``); a
   returned string that shows none of the call's arguments written as the right value with each
   argument's text a placeholder (``return "Welcome!"`` → ``return f"Welcome to the Odeon, {name}!"``);
4. a name (a parameter, an attribute) renamed everywhere; an undefined name replaced by the one the code
   defines and never reads (``RATE`` → ``HOURLY_RATE``); a missing key added to the dict literal; a
   parameter a call passes by keyword added to the signature;
   a needle appended to (``in``) or cut from (``not in``) the string or the list, tuple or set literal
   that renders the container; the literal a returned ``param == "…"`` compares with, set to the
   argument the test passes, where the test wants it true; ``mapping.get(key, default)`` written
   ``mapping[key]`` where the test wants a ``KeyError``; a guard that raises where the call must raise and
   does not (``if age < 0: raise ValueError(…)``, ``learn/guards.py``);
   a bound (``<=``, ``>=``) written in place of the value that broke it; the one returned expression
   sorted where the test wants the same items sorted (``return list(names)`` → ``return sorted(names)``),
   or given the str method that turns the string it gives into the right one (``.title()``, ``.upper()``,
   ``.strip()``…);
   the literal that wrote an exception's message where ``pytest.raises(match=…)`` wanted another
   (plain-text patterns only; a number in it that is a module constant's value written as that
   constant: ``f"longer than {MAX_LENGTH} m"``);
5. a value a short function computes (``litres * 5`` for 2.0; ``per_day = 0.25`` then
   ``return days * per_day``): one operator or number changed, or a missing key added, so that the
   test's call gives the right value (``learn/recompute.py``) — not where the function ignores its
   arguments (``sum([100, 55])``): a new number there would only write the test's answer in. The number
   may be a module constant the function reads (``BOTTLE = 0.7``), or one another file defines
   (``from settings import CASE_SIZE``: that file is rewritten, ``relabel_imported``).

No value is written (1–5) into a function the test calls that takes arguments and reads none of them
(``return 1.25`` for ``late_fine(5)``), for the same reason — but for a returned string rebuilt around
those arguments (3), which reads them; where nothing fits, the learner relabels the file the run started
from instead (``examples.corrected_from_start``). Nor is a relabelled action taught where its function
returns the test's answer as a literal that the file as the run started computed (``answer_written_in``:
the model's own hack, ``return "stone" if letter in GRADES else …``, relabelled to the answer).

Nothing here runs the user's code (``recompute`` evaluates only numbers, arithmetic and a few builtins).
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize
from collections.abc import Iterator
from functools import partial

from .guards import guard_that_raises
from .recompute import MISSING as _MISSING
from .recompute import (
    call_arguments,
    ignores_its_arguments,
    imported_constants,
    names_read,
    plain_assignment,
    recompute,
    recompute_imported,
)
from .recompute import literal_value as _value
from .source_spans import end_of as _end
from .source_spans import start_of as _offset
from .truths import Truth

_QUOTES = ('"""', "'''", '"', "'")


def relabel(code: str, truth: Truth) -> str | None:
    """``code`` with ``truth``'s wrong value (or name, or key) replaced; None when the code does not write it."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    if truth.relation == "name":
        return _rename(code, truth.actual, truth.expected)
    if truth.relation == "undefined":
        return _defined_instead(code, tree, truth.actual)
    if truth.relation == "true":
        return _made_true(code, tree, truth.subject)
    if truth.relation == "raises":
        plain_lookup = truth.expected == "KeyError" and not truth.match
        return (plain_lookup and _lookup_that_raises(code, tree, truth.subject)) or guard_that_raises(
            code, tree, function_called(tree, truth.subject), truth.subject, truth.expected, truth.match)
    if truth.relation == "key":
        return _add_key(code, tree, truth.expected, truth.actual)
    if truth.relation == "parameter":
        return _add_parameter(code, tree, truth.subject, truth.expected)
    wrong, right = _value(truth.actual), _value(truth.expected)
    if wrong is _MISSING or right is _MISSING:
        return None
    if truth.relation == "message":  # the literal that wrote an exception's wrong message
        return _message(code, tree, wrong, right) or _replace_literal(code, tree, wrong, right)
    if ignores_its_arguments(function_called(tree, truth.subject)):
        return _templated(code, tree, truth.subject, right)
    if truth.relation in ("in", "not in"):
        return _contain(code, tree, right, wrong, truth.relation == "in")
    if truth.relation in ("<", "<=", ">", ">="):
        bound = right + (-1 if truth.relation == "<" else 1 if truth.relation == ">" else 0) \
            if isinstance(right, int) and truth.relation in ("<", ">") else right
        return _replace_literal(code, tree, wrong, bound)
    if truth.relation != "==":
        return None
    in_function = partial(_replace_literal, within=function_called(tree, truth.subject))
    for attempt in (in_function, _behind_placeholder, _retemplate, _swap_core):
        result = attempt(code, tree, wrong, right)
        if result is not None and result != code:
            return result
    return (_sorted_instead(code, tree, truth.subject, wrong, right)
            or _string_method_instead(code, tree, truth.subject, wrong, right)
            or recompute(code, tree, truth.subject, wrong, right) or _templated(code, tree, truth.subject, right))


def answer_written_in(code: str, start: str, truths: list[Truth]) -> bool:
    """Whether ``code``'s function under test returns a truth's right value as a literal where, in ``start``
    (the file as the run started), it returned no literal at all but computed its result: the test's answer
    written in (quarry's pit_code, ``return name.strip()`` → ``return "NORTH FACE"``; stone_grade,
    ``return GRADES[letter]`` → ``return "select" if letter in GRADES else …``). Such a relabelled action
    passes the test and no other input; the learner relabels the start file instead."""
    for truth in truths:
        right = _value(truth.expected) if truth.relation == "==" else _MISSING
        if right is _MISSING or _returned_literals(start, truth.subject) != []:
            continue
        returned = _returned_literals(code, truth.subject) or []
        if any(type(value) is type(right) and value == right for value in returned):
            return True
    return False


def _returned_literals(code: str, subject: str) -> list[object] | None:
    """The literals the function ``subject`` calls returns (whole, or as a branch of ``… if … else …`` or of
    ``and``/``or``); None where there is no such function, or it takes no arguments (a literal is its fix)."""
    try:
        function = function_called(ast.parse(code), subject)
    except (SyntaxError, ValueError):
        return None
    if function is None or not (function.args.posonlyargs or function.args.args or function.args.kwonlyargs):
        return None
    found, stack = [], _returned(function)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.IfExp):
            stack += [node.body, node.orelse]
        elif isinstance(node, ast.BoolOp):
            stack += node.values
        elif (value := _value(node)) is not _MISSING:
            found.append(value)
    return found


def relabel_imported(code: str, truth: Truth, imports: dict[str, str]) -> tuple[str, str] | None:
    """Where ``code``'s function gives ``truth``'s wrong value through a constant another file defines
    (one of ``imports``, path → text: ``from settings import CASE_SIZE``): that file with the constant
    changed — a number solved for, a string an f-string's placeholder shows re-cut — as (path, new text)."""
    if truth.relation != "==":
        return None
    wrong, right = _value(truth.actual), _value(truth.expected)
    if isinstance(wrong, str) and isinstance(right, str):
        return _imported_behind_placeholder(code, wrong, right, imports)
    return recompute_imported(code, truth.subject, wrong, right, imports)


def _imported_behind_placeholder(code: str, wrong: str, right: str, imports: dict[str, str]) -> tuple[str, str] | None:
    """Where an f-string's text parts fit both values and a placeholder ``{NAME}`` shows a constant another
    file defines (``f"{beer} from {BREWERY}"``, ``BREWERY = "Old Mill"`` in settings.py): that file with
    the constant changed to what the placeholder must show."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    constants = imported_constants(tree, imports)
    for field, shown, wanted in _placeholders_to_change(code, tree, wrong, right):
        name = field[1:-1].strip()
        if name not in constants:
            continue
        path, text, literal = constants[name]
        kind = type(literal.value)
        if kind is not bool and str(literal.value) == shown and _converts(kind, wanted):
            literal_text = ast.get_source_segment(text, literal) or ""
            return path, _apply(text, [(_offset(text, literal), _end(text, literal),
                                       _render(kind(wanted), literal_text))])
    return None


_CALLED = re.compile(r"\s*(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\s*(?:\(|$)")


def function_called(tree: ast.AST, subject: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function (or method) a truth's subject calls (``greet("Bob")``, ``Order.total``), if the code
    defines one of that name."""
    match = _CALLED.match(subject)
    return next((node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                 and match and node.name == match.group(1)), None)


def defines_the_function_under_test(code: str, truths: list[Truth]) -> bool:
    """Whether ``code`` defines, not inside another function, a function a truth's call calls (True where no
    truth is about a call). Not where the model renamed it (mill's grain_types, written as
    ``test_spelt_is_ground``) or left it out (bag_price, test functions instead)."""
    names = {match.group(1) for truth in truths if "(" in truth.subject and (match := _CALLED.match(truth.subject))}
    if not names:
        return True
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return not all(_nested_definitions(tree, names))


def defined_only_inside_a_function(code: str, truths: list[Truth]) -> bool:
    """Whether ``code`` defines a function a truth's subject calls, but only inside another function, neither
    at the top level nor in a class (boatyard's tide_label, written inside a ``test_the_board`` of the
    model's)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    nested = _nested_definitions(tree, {match.group(1) for truth in truths if (match := _CALLED.match(truth.subject))})
    return bool(nested) and all(nested)


def _nested_definitions(tree: ast.AST, names: set[str]) -> list[bool]:
    """For each definition of a function named one of ``names``: whether another function holds it."""
    nested: list[bool] = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if function and child.name in names:
                nested.append(inside)
            visit(child, inside or function)
    visit(tree, False)
    return nested


# -- 1. a literal equal to the wrong value --------------------------------------------------------------


def _literals(tree: ast.AST) -> list[ast.expr]:
    kinds = (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.UnaryOp)
    return [node for node in ast.walk(tree) if isinstance(node, kinds) and not _inside_fstring(tree, node)]


def _replace_literal(code: str, tree: ast.AST, wrong: object, right: object,
                     within: ast.AST | None = None) -> str | None:
    """Every literal equal to ``wrong`` replaced by ``right``: only those ``within`` that node where it
    has some (a ``return 2`` elsewhere in the file is another function's business)."""
    spans = []
    for node in _literals(tree):
        segment = ast.get_source_segment(code, node)
        if segment is None:
            continue
        try:
            value = ast.literal_eval(segment)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if value == wrong and type(value) is type(wrong) and not isinstance(wrong, bool):
            spans.append((_offset(code, node), _end(code, node), _render(right, segment)))
    if within is not None:
        start, end = _offset(code, within), _end(code, within)
        spans = [span for span in spans if start <= span[0] and span[1] <= end] or spans
    return _apply(code, _outermost(spans)) if spans else None


def _message(code: str, tree: ast.AST, wrong: object, right: object) -> str | None:
    """The string literal that wrote an exception's wrong message, as an f-string of the right one with each
    number that is the value of a module constant the code reads a placeholder of it (``"no berth"`` →
    ``f"longer than {MAX_LENGTH} m"`` where ``MAX_LENGTH = 25``): the message follows the constant.
    None where the right message shows no such number."""
    if not isinstance(wrong, str) or not isinstance(right, str) or "\n" in right:
        return None
    read, values = names_read(tree), {}
    for node in getattr(tree, "body", []):
        target = plain_assignment(node)
        if target and target.id in read and isinstance(node.value, ast.Constant) \
                and type(node.value.value) in (int, float):
            values.setdefault(str(node.value.value), []).append(target.id)
    shown = {text: names[0] for text, names in values.items() if len(names) == 1  # one constant per value
             and re.search(rf"(?<![\d.]){re.escape(text)}(?![\d.])", right)}
    if not shown:
        return None
    pattern = r"(?<![\d.])(" + "|".join(re.escape(t) for t in sorted(shown, key=len, reverse=True)) + r")(?![\d.])"
    pieces = re.split(pattern, right)
    text = 'f"' + "".join("{" + shown[p] + "}" if i % 2 else _escaped(p) for i, p in enumerate(pieces)) + '"'
    spans = [(_offset(code, node), _end(code, node), text) for node in _literals(tree)
             if isinstance(node, ast.Constant) and node.value == wrong and isinstance(node.value, str)]
    return _apply(code, spans) if spans else None


def _render(value: object, like: str) -> str:
    """``value`` as Python source in the style of ``like`` (its quotes)."""
    quote = next((q for q in _QUOTES if q in like), "'")
    text = repr(value)
    if quote == '"' and isinstance(value, str | list | tuple | dict | set):
        text = _double_quoted(value)
    return text


def _double_quoted(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_double_quoted(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_double_quoted(v) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_double_quoted(k)}: {_double_quoted(v)}" for k, v in value.items()) + "}"
    if isinstance(value, set):
        return "{" + ", ".join(_double_quoted(v) for v in sorted(value, key=repr)) + "}"
    return repr(value)


# -- 2. a string or f-string that renders the wrong value ------------------------------------------------


def _retemplate(code: str, tree: ast.AST, wrong: object, right: object) -> str | None:
    if not isinstance(wrong, str) or not isinstance(right, str):
        return None
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            segment = ast.get_source_segment(code, node)
            rebuilt = _recut(node, segment, wrong, right) if segment else None
            if rebuilt is not None:
                spans.append((_offset(code, node), _end(code, node), rebuilt))
    return _apply(code, spans) if spans else None


def _behind_placeholder(code: str, tree: ast.AST, wrong: object, right: object) -> str | None:
    """Where the f-string's text parts fit both values and a placeholder shows a literal of the code
    (``{DEFAULT_PORT}`` showing ``8080``, ``DEFAULT_PORT = 8080``): that literal changed to what the
    placeholder must show (``8443``)."""
    if not isinstance(wrong, str) or not isinstance(right, str):
        return None
    for _, shown, wanted in _placeholders_to_change(code, tree, wrong, right):
        for literal in _literals(tree):
            if isinstance(literal, ast.Constant) and not isinstance(literal.value, bool) \
                    and str(literal.value) == shown and _converts(type(literal.value), wanted):
                return _replace_literal(code, tree, literal.value, type(literal.value)(wanted))
    return None


def _placeholders_to_change(code: str, tree: ast.AST, wrong: str, right: str) -> Iterator[tuple[str, str, str]]:
    """For each f-string whose text parts fit both values: each placeholder (``{…}`` as written) whose
    text must change, with what it shows and what it must show."""
    for node in ast.walk(tree):
        segment = ast.get_source_segment(code, node) if isinstance(node, ast.JoinedStr) else None
        parts = _parts(node, segment) if segment else None
        before, after = (_rendered_fields(parts, wrong), _rendered_fields(parts, right)) if parts else (None, None)
        if before is None or after is None:
            continue
        fields = [text for kind, text in parts if kind == "field"]
        yield from ((f, b, a) for f, b, a in zip(fields, before, after, strict=True) if b != a)


def _rendered_fields(parts: list[tuple[str, str]], rendered: str) -> tuple[str, ...] | None:
    pattern = "".join(re.escape(t.replace("{{", "{").replace("}}", "}")) if k == "text" else "(.+?)" for k, t in parts)
    match = re.fullmatch(pattern, rendered, re.S)
    return match.groups() if match else None


def _converts(kind: type, text: str) -> bool:
    try:
        kind(text)
    except (TypeError, ValueError):
        return False
    return True


def _parts(node: ast.JoinedStr, segment: str) -> list[tuple[str, str]] | None:
    """("text", literal) and ("field", ``{…}`` as written) parts of an f-string, in order."""
    body = segment[segment.index(segment.lstrip("rbfRBF")[0]):]
    quote = next((q for q in _QUOTES if body.startswith(q)), None)
    if quote is None:
        return None
    inner = body[len(quote):-len(quote)]
    parts, depth, start, i = [], 0, 0, 0
    while i < len(inner):
        char = inner[i]
        if depth == 0 and inner.startswith("{{", i) or depth == 0 and inner.startswith("}}", i):
            i += 2
            continue
        if char == "{":
            if depth == 0:
                parts.append(("text", inner[start:i]))
                start = i
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                parts.append(("field", inner[start:i + 1]))
                start = i + 1
        i += 1
    parts.append(("text", inner[start:]))
    texts = [p for p in parts if p[0] == "text"]
    literal = [v.value for v in node.values if isinstance(v, ast.Constant)]
    if [t.replace("{{", "{").replace("}}", "}") for _, t in texts if t] != [t for t in literal if t]:
        return None
    return parts


def _recut(node: ast.JoinedStr, segment: str, wrong: str, right: str) -> str | None:
    """The f-string re-cut so that, where it rendered ``wrong``, it renders ``right``."""
    parts = _parts(node, segment)
    if parts is None:
        return None
    literal = lambda text: text.replace("{{", "{").replace("}}", "}")  # noqa: E731 - one use
    pattern = "".join(re.escape(literal(t)) if kind == "text" else "(.+?)" for kind, t in parts)
    rendered = re.fullmatch(pattern, wrong, re.S)
    if rendered is None:
        return None
    fields = [t for kind, t in parts if kind == "field"]
    out, position = [], 0
    for field_text, shown in zip(fields, rendered.groups(), strict=True):
        found = right.find(shown, position)
        end = found + len(shown)
        if found < 0 or not _stands_alone(right, found, end):
            formatted = _formatted(field_text, shown, right, position)
            if formatted is not None:
                found, end, field_text = formatted
        if found < 0:  # this placeholder must render otherwise: its place in the right value becomes text
            return _literalised(parts, rendered.groups(), right)
        out.append(_escaped(right[position:found]))
        out.append(field_text)
        position = end
    out.append(_escaped(right[position:]))
    prefix = segment[: len(segment) - len(segment.lstrip("rbfRBF"))]
    quote = next(q for q in _QUOTES if segment[len(prefix):].startswith(q))
    return f"{prefix}{quote}{''.join(out)}{quote}"


_FORMAT_SPECS = ("02d", "03d", "04d", ",", ".1f", ".2f", ".3f", ",.2f", ".0%", ".1%")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a longer number (``3`` in ``03`` or ``3.50`` is)."""
    number = "0123456789."
    return not (start > 0 and text[start - 1] in number) and not (end < len(text) and text[end] in number)


def _formatted(field_text: str, shown: str, right: str, position: int) -> tuple[int, int, str] | None:
    """Where a placeholder shows a number that the right value writes padded, rounded or grouped
    (``{number}`` showing ``3`` where ``Screen 03`` is wanted): (start, end) of that writing in ``right``
    and the placeholder with the format spec that writes it (``{number:02d}``)."""
    value = _value(shown)
    if not isinstance(value, int | float) or isinstance(value, bool) or ":" in field_text or "!" in field_text:
        return None
    for spec in _FORMAT_SPECS:
        try:
            text = format(value, spec)
        except ValueError:  # an integer spec for a float
            continue
        at = right.find(text, position)
        if text != shown and at >= 0 and _stands_alone(right, at, at + len(text)):
            return at, at + len(text), f"{field_text[:-1]}:{spec}}}"
    return None


def _literalised(parts: list[tuple[str, str]], shown: tuple[str, ...], right: str) -> str | None:
    """Where a placeholder's value itself is wrong: the right value as a plain string, when the text
    around it still matches (``f"http://dock:{PORT}/api"`` → ``"http://dock:9090/api"``)."""
    texts = [t.replace("{{", "{").replace("}}", "}") for kind, t in parts if kind == "text"]
    if not right.startswith(texts[0]) or not right.endswith(texts[-1]):
        return None
    return _double_quoted(right)


def _templated(code: str, tree: ast.AST, subject: str, right: object) -> str | None:
    """Where the function ``subject`` calls ends by returning one string (a literal or an f-string) and the
    right value shows the call's string arguments: that string written as the right value, each
    argument's text a placeholder of its parameter (``return "Welcome!"`` for ``welcome("Ana")``, wanting
    ``"Welcome to the Odeon, Ana!"``: ``return f"Welcome to the Odeon, {name}!"``)."""
    function = function_called(tree, subject)
    if not isinstance(right, str) or "\n" in right or function is None:
        return None
    returned = function.body[-1]
    if not isinstance(returned, ast.Return) or not (isinstance(returned.value, ast.JoinedStr) or isinstance(
            returned.value, ast.Constant) and isinstance(returned.value.value, str)):
        return None
    try:
        call = ast.parse(subject, mode="eval").body
    except SyntaxError:
        return None
    bound = call_arguments(function, call) if isinstance(call, ast.Call) else None
    shown = {value: name for name, value in (bound or {}).items() if isinstance(value, str) and len(value) > 1
             and value in right}
    if not shown:
        return None
    pieces = re.split("(" + "|".join(re.escape(v) for v in sorted(shown, key=len, reverse=True)) + ")", right)
    text = "".join("{" + shown[piece] + "}" if i % 2 else _escaped(piece) for i, piece in enumerate(pieces))
    return code[:_offset(code, returned.value)] + f'f"{text}"' + code[_end(code, returned.value):]


def _sorted_instead(code: str, tree: ast.AST, subject: str, wrong: object, right: object) -> str | None:
    """Where the function ``subject`` calls returns the right items in another order and sorting them gives
    the right list (or tuple): its one returned expression sorted (``return list(names)`` →
    ``return sorted(names)``; descending where the right order is). None where it sorts already."""
    if not isinstance(wrong, list | tuple) or type(wrong) is not type(right) or wrong == right:
        return None
    try:
        reverse = next((r for r in (False, True) if sorted(wrong, reverse=r) == list(right)), None)  # type: ignore[arg-type]
    except TypeError:  # items that do not compare
        return None
    returned = _one_return(tree, subject)
    if reverse is None or returned is None:
        return None
    inner = returned
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in ("list", "tuple") \
            and len(inner.args) == 1 and not inner.keywords:
        inner = inner.args[0]
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "sorted":
        return None
    text = f"sorted({ast.get_source_segment(code, inner)}{', reverse=True' if reverse else ''})"
    text = f"tuple({text})" if isinstance(right, tuple) else text
    return code[:_offset(code, returned)] + text + code[_end(code, returned):]


_CASES = ("upper", "lower", "title", "capitalize", "swapcase")
_STRING_METHODS = tuple((m,) for m in ("strip", *_CASES)) + tuple(("strip", m) for m in _CASES)
_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.JoinedStr)


def _string_method_instead(code: str, tree: ast.AST, subject: str, wrong: object, right: object) -> str | None:
    """Where the function ``subject`` calls returns the right string in another case, or with blanks around
    it, and a str method (or ``strip`` and one) turns the one into the other: its one returned expression
    with that method called on it (``return name.strip()`` → ``return name.strip().title()``)."""
    if not isinstance(wrong, str) or not isinstance(right, str) or wrong == right:
        return None
    chain = next((c for c in _STRING_METHODS if _called_in_turn(wrong, c) == right), None)
    returned = _one_return(tree, subject)
    if chain is None or returned is None:
        return None
    text = ast.get_source_segment(code, returned) or ""
    text = (text if isinstance(returned, _ATOMS) else f"({text})") + "".join(f".{method}()" for method in chain)
    return code[:_offset(code, returned)] + text + code[_end(code, returned):]


def _one_return(tree: ast.AST, subject: str) -> ast.expr | None:
    """The expression the function ``subject`` calls returns, where it has one ``return`` with a value."""
    function = function_called(tree, subject)
    returns = _returned(function) if function else []
    return returns[0] if len(returns) == 1 else None


def _returned(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """The expressions the function's ``return`` statements give (those with a value)."""
    return [node.value for node in ast.walk(function) if isinstance(node, ast.Return) and node.value]


def _called_in_turn(text: str, methods: tuple[str, ...]) -> str:
    for method in methods:
        text = getattr(text, method)()
    return text


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "{{").replace("}", "}}").replace('"', '\\"')


# -- 3. the differing part swapped inside string constants ----------------------------------------------


def _swap_core(code: str, tree: ast.AST, wrong: object, right: object) -> str | None:
    if not isinstance(wrong, str) or not isinstance(right, str) or wrong == right:
        return None
    old, new = _differing_core(wrong, right)
    if not old:
        return None
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and old in node.value:
            segment = ast.get_source_segment(code, node)
            if segment and old in segment:
                spans.append((_offset(code, node), _end(code, node), segment.replace(old, new)))
    return _apply(code, _outermost(spans)) if spans else None


def _differing_core(wrong: str, right: str) -> tuple[str, str]:
    """The middle parts of two strings after their common prefix and suffix."""
    start = 0
    while start < min(len(wrong), len(right)) and wrong[start] == right[start]:
        start += 1
    end = 0
    while end < min(len(wrong), len(right)) - start and wrong[-1 - end] == right[-1 - end]:
        end += 1
    return wrong[start:len(wrong) - end], right[start:len(right) - end]


# -- 4. names, keys, containment ------------------------------------------------------------------------


def _rename(code: str, wrong: str, right: str) -> str | None:
    """Every name token ``wrong`` (a parameter, an attribute, a variable) renamed ``right``, and a string
    that spells it (a dict key mirroring a parameter: ``{"size": size}``)."""
    if not wrong.isidentifier() or not right.isidentifier():
        return None
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    if not any(t.type == tokenize.NAME and t.string == wrong for t in tokens):
        return None
    spelled = {f"{q}{wrong}{q}": f"{q}{right}{q}" for q in ("'", '"')}

    def renamed(token: tokenize.TokenInfo) -> str:
        if token.type == tokenize.NAME and token.string == wrong:
            return right
        return spelled.get(token.string, token.string) if token.type == tokenize.STRING else token.string

    return tokenize.untokenize([(t.type, renamed(t), t.start, t.end, t.line) for t in tokens])


def _defined_instead(code: str, tree: ast.AST, missing: str) -> str | None:
    """The name the code reads and never defines replaced by one it defines and never reads: the closest
    such name, or the only one (``RATE`` → ``HOURLY_RATE``, ``LOAN_LIMIT`` → ``MAX_LOANS``)."""
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    read = {n.id for n in names if isinstance(n.ctx, ast.Load)}
    bound = [n.id for n in names if isinstance(n.ctx, ast.Store)] + [a.arg for a in ast.walk(tree)
                                                                        if isinstance(a, ast.arg)]
    unread = [name for name in dict.fromkeys(bound) if name not in read and name not in ("self", "cls")]
    if missing not in read or missing in bound:
        return None
    close = difflib.get_close_matches(missing, unread, n=1, cutoff=0.5)
    chosen = close[0] if close else unread[0] if len(unread) == 1 else None
    return _rename(code, missing, chosen) if chosen else None


def _made_true(code: str, tree: ast.AST, subject: str) -> str | None:
    """The literal that the function ``subject`` calls compares a parameter with in what it returns, set
    to the argument the test passes (``return kind == "track"`` → ``"road"`` for ``needs_bell("road")``)."""
    function = function_called(tree, subject)
    try:
        call = ast.parse(subject.strip(), mode="eval").body
    except SyntaxError:
        return None
    if function is None or not isinstance(call, ast.Call):
        return None
    arguments = call_arguments(function, call) or {}
    compared = []
    for returned in _returned(function):
        for node in ast.walk(returned):
            if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
                sides = (node.left, node.comparators[0])
                compared += [(literal, arguments[name.id]) for name, literal in (sides, sides[::-1])
                             if isinstance(name, ast.Name) and isinstance(literal, ast.Constant)
                             and arguments.get(name.id, _MISSING) is not _MISSING]
    if len(compared) != 1:
        return None
    literal, value = compared[0]
    segment = ast.get_source_segment(code, literal)
    if segment is None or type(literal.value) is not type(value) or literal.value == value:
        return None
    return _apply(code, [(_offset(code, literal), _end(code, literal), _render(value, segment))])


def _lookup_that_raises(code: str, tree: ast.AST, subject: str) -> str | None:
    """``mapping.get(key, default)`` in the function ``subject`` calls written ``mapping[key]``, so that a
    missing key raises the ``KeyError`` the test expects."""
    function = function_called(tree, subject)
    lookups = [n for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and n.func.attr == "get" and len(n.args) in (1, 2) and not n.keywords] if function else []
    if len(lookups) != 1:
        return None
    node = lookups[0]
    mapping, key = ast.get_source_segment(code, node.func.value), ast.get_source_segment(code, node.args[0])
    if not mapping or not key:
        return None
    return _apply(code, [(_offset(code, node), _end(code, node), f"{mapping}[{key}]")])


def _add_key(code: str, tree: ast.AST, key: str, value: str) -> str | None:
    """The missing key (with the value the test expects) added to the dict literal without it."""
    dicts = [n for n in ast.walk(tree) if isinstance(n, ast.Dict) and n.keys
             and all(isinstance(k, ast.Constant) for k in n.keys)]
    wanted = _value(key)
    if len(dicts) != 1 or wanted is _MISSING or not value or wanted in [k.value for k in dicts[0].keys]:
        return None
    node = dicts[0]
    first = ast.get_source_segment(code, node.keys[0]) or ""
    entry = f"{_render(wanted, first)}: {value}"
    end = _end(code, node) - 1  # before the closing brace
    separator = ", " if code[end - 1] not in ",{\n " else " "
    return code[:end].rstrip() + separator + entry + code[end:] if code[end - 1] != "\n" else \
        code[:end] + entry + ",\n" + code[end:]


def _add_parameter(code: str, tree: ast.AST, function: str, name: str) -> str | None:
    """``name`` added as the last positional parameter of the top-level function ``function``."""
    found = [n for n in getattr(tree, "body", []) if isinstance(n, ast.FunctionDef) and n.name == function]
    if len(found) != 1 or not name.isidentifier():
        return None
    arguments = found[0].args
    if arguments.vararg or arguments.kwonlyargs or arguments.kwarg or arguments.defaults \
            or name in [a.arg for a in arguments.args]:
        return None
    if arguments.args:
        at = _end(code, arguments.args[-1])
        return code[:at] + f", {name}" + code[at:]
    opening = code.find("(", _offset(code, found[0]))
    return code[:opening + 1] + name + code[opening + 1:] if opening >= 0 else None


def _contain(code: str, tree: ast.AST, needle: object, shown: object, present: bool) -> str | None:
    """The string or literal that renders the container, with the needle appended (``in``) or cut out
    (``not in``)."""
    if isinstance(shown, list | tuple | set | frozenset):
        return _replace_literal(code, tree, shown, _with_member(shown, needle, present))
    if not isinstance(needle, str) or not isinstance(shown, str):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr | ast.Constant) and not _inside_fstring(tree, node):
            segment = ast.get_source_segment(code, node)
            if not segment or (isinstance(node, ast.Constant) and node.value != shown):
                continue
            if isinstance(node, ast.JoinedStr):
                parts = _parts(node, segment)
                if parts is None or not re.fullmatch("".join(
                        re.escape(t.replace("{{", "{").replace("}}", "}")) if k == "text" else "(.+?)"
                        for k, t in parts), shown, re.S):
                    continue
            rebuilt = _appended(segment, needle) if present else _cut(node, segment, shown, needle)
            if rebuilt:
                return code[:_offset(code, node)] + rebuilt + code[_end(code, node):]
    return None


def _with_member(container: list | tuple | set | frozenset, needle: object, present: bool) -> object:
    """The container with ``needle`` added at its end (``present``) or every copy of it taken out."""
    kept = [item for item in container if item != needle]
    items = [*kept, needle] if present else kept
    return type(container)(items)


def _appended(segment: str, needle: str) -> str:
    quote = next(q for q in _QUOTES if segment.rstrip().endswith(q))
    body = segment[: -len(quote)]
    text = _escaped(needle) if segment.lstrip("rbRB").startswith(("f", "F")) else needle.replace(quote, "\\" + quote)
    return f"{body} {text}{quote}"


def _cut(node: ast.expr, segment: str, shown: str, needle: str) -> str | None:
    """The part of an f-string that shows ``needle``, from the separator before it, cut out."""
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = _parts(node, segment)
    if parts is None:
        return None
    pattern = "".join(re.escape(t.replace("{{", "{").replace("}}", "}")) if k == "text" else "(.+?)" for k, t in parts)
    match = re.fullmatch(pattern, shown, re.S)
    at = shown.find(needle)
    if match is None or at < 0:
        return None
    comma, space = shown.rfind(", ", 0, at), shown.rfind(" ", 0, at)
    start = comma if comma >= 0 and not set(shown[comma:at]) & set("()[]{}") else space
    end_candidates = [i for i in (shown.find(", ", at), shown.find(")", at)) if i >= 0]
    end = min(end_candidates) if end_candidates else len(shown)
    kept, position, index = [], 0, 0
    for kind, text in parts:  # keep each part whose rendering lies outside [start, end)
        length = len(text.replace("{{", "{").replace("}}", "}")) if kind == "text" else len(match.group(index + 1))
        lo, hi = position, position + length
        if kind == "field":
            index += 1
            if not (lo >= start and hi <= end):
                kept.append(text)
        else:
            literal = text.replace("{{", "{").replace("}}", "}")
            kept.append(_escaped("".join(c for i, c in enumerate(literal) if not start <= lo + i < end)))
        position = hi
    prefix = segment[: len(segment) - len(segment.lstrip("rbfRBF"))]
    quote = next(q for q in _QUOTES if segment[len(prefix):].startswith(q))
    return f"{prefix}{quote}{''.join(kept)}{quote}"


# -- editing ---------------------------------------------------------------------------------------------


def _inside_fstring(tree: ast.AST, node: ast.AST) -> bool:
    """Whether ``node`` is a part of an f-string (its constants are relabelled through the f-string)."""
    inside = getattr(tree, "_unstuck_in_fstrings", None)
    if inside is None:
        inside = {id(child) for parent in ast.walk(tree) if isinstance(parent, ast.JoinedStr)
                  for child in ast.walk(parent) if child is not parent}
        tree._unstuck_in_fstrings = inside  # type: ignore[attr-defined]
    return id(node) in inside


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans that are not inside another span (a list's element inside a replaced list)."""
    return [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o != s for o in spans)]


def _apply(code: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, text in sorted(spans, reverse=True):
        code = code[:start] + text + code[end:]
    return code
