"""Relabelling a value the code computes: the smallest edit of a short function (local assignments, then
a return) after which the call the test makes returns what it expects.

``litres_to_cans(10)`` returned 50 where the test expects about 2.0 and the code says ``return litres * 5``:
no literal 50 is written anywhere, but swapping ``*`` for ``/`` gives 2.0. Tried in order, first fit
wins: one arithmetic operator swapped; one number replaced (solved from the two values as a factor or a
term, else by the secant method and written with as few digits as fit: ``rate = 0.15`` in
``round(price * (1 + rate), 2)`` becomes ``0.2``), in the return, in a local it reads
(``per_day = 0.25``), or in a module constant it reads (``BOTTLE = 0.7`` in ``return n * BOTTLE``);
a key the expected dict has and the result lacks, added with the parameter that holds its value.

Nothing runs the user's code: the return expression is evaluated only when it is made of numbers,
arithmetic, parameters bound to the test's literal arguments, module constants written as literals
and a few pure builtins (``sum``, ``len``, ``min``, ``max``, ``abs``, ``round``).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator, Mapping

from ..repomap import module_files
from .source_spans import end_of, start_of

_BUILTINS = {"sum": sum, "len": len, "min": min, "max": max, "abs": abs, "round": round}
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv)
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//"}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.UAdd, ast.Constant, ast.Name, ast.Load,
            ast.Call, ast.List, ast.Tuple, ast.Dict, ast.Subscript, *_OPERATORS)
MISSING = object()
"""What ``literal_value`` gives for source that is not a literal."""
Steps = list[tuple[str | None, ast.expr]]
Written = Callable[[int | float], object]
"""What the steps give with one number written as the value passed."""


def recompute(code: str, tree: ast.AST, subject: str, wrong: object, right: object) -> str | None:
    """``code`` with one edit after which ``subject`` (a call with literal arguments) returns ``right``;
    None when the function is more than local assignments and a return, does not give ``wrong`` as
    written, or no edit fits."""
    found = _function_and_bindings(tree, subject)
    if found is None:
        return None
    function, names = found
    steps = _steps(function)
    if not _same(_run(steps, names), wrong):
        return None
    if ignores_its_arguments(function):
        return None  # a new number would only write the test's answer in
    return next(_candidates(code, steps, names, _module_numbers(tree, function, steps), wrong, right), None)


def recompute_imported(code: str, subject: str, wrong: object, right: object,
                       modules: dict[str, str]) -> tuple[str, str] | None:
    """Where the function ``subject`` calls reads a number another file defines (``from settings import
    CASE_SIZE``, with ``CASE_SIZE = 6`` in ``settings.py``, one of ``modules``: path → text): that file
    with the number replaced so the call returns ``right``, as (path, new text); None where no such edit fits."""
    if not (isinstance(wrong, int | float) and isinstance(right, int | float)):
        return None
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    imported = {name: found for name, found in imported_constants(tree, modules).items() if _is_number(found[2])}
    found = _function_and_bindings(tree, subject, {name: node.value for name, (_, _, node) in imported.items()})
    if found is None or ignores_its_arguments(found[0]):
        return None
    function, names = found
    steps = _steps(function)
    if not _same(_run(steps, names), wrong):
        return None
    for name in _numbers_read(function, steps, imported):
        path, text, node = imported[name]
        written = _through(steps, names, name)
        for value in [*_solutions(node.value, wrong, right), _solved(written, node.value, right)]:
            if value is not None and _same(written(value), right):
                return path, _replace(text, node, repr(value))
    return None


def imported_constants(tree: ast.AST, modules: dict[str, str]) -> dict[str, tuple[str, str, ast.Constant]]:
    """The names ``from module import NAME`` binds to a constant ``module`` (one of ``modules``: path →
    text) writes at its top level (``NAME = 6``, ``NAME = "Old Mill"``): each as (its file, that file's
    text, the constant's node)."""
    by_module = module_files(modules)
    found = {}
    for statement in getattr(tree, "body", []):
        if not isinstance(statement, ast.ImportFrom) or statement.level or statement.module not in by_module:
            continue
        path = by_module[statement.module]
        try:
            constants = {target.id: node.value for node in ast.parse(modules[path]).body  # type: ignore[attr-defined]
                         if (target := plain_assignment(node)) and isinstance(node.value, ast.Constant)}
        except (SyntaxError, ValueError):
            continue
        for alias in statement.names:
            if alias.name in constants:
                found[alias.asname or alias.name] = (path, modules[path], constants[alias.name])
    return found


def ignores_its_arguments(function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> bool:
    """The function takes arguments and reads none of them (``def late_fine(days): return 1.25``): a new
    value written there would only write the test's answer in."""
    if function is None:
        return False
    arguments = function.args
    parameters = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs} - {"self", "cls"}
    return bool(parameters) and not parameters & names_read(function)


def _function_and_bindings(tree: ast.AST, subject: str, imported: dict[str, object] | None = None,
                           ) -> tuple[ast.FunctionDef, dict[str, object]] | None:
    """The top-level function ``subject`` calls, if it only returns an expression, and the names its
    return expression may read (its parameters bound to the call's arguments, module literals, the
    ``imported`` values)."""
    try:
        call = ast.parse(subject, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        return None
    body = getattr(tree, "body", [])
    function = next((n for n in body if isinstance(n, ast.FunctionDef) and n.name == call.func.id), None)
    if function is None or not function.body or not isinstance(function.body[-1], ast.Return):
        return None
    statements = function.body[:-1]
    if function.body[-1].value is None or not all(_is_docstring(s) or plain_assignment(s) for s in statements):
        return None
    names: dict[str, object] = {**(imported or {}), **module_literals(tree)}
    arguments = call_arguments(function, call)
    if arguments is None or MISSING in arguments.values():
        return None
    return function, {**names, **arguments}


def module_literals(tree: ast.AST) -> dict[str, object]:
    """The module's constants written as literals (``PRICE = 2.5``), by name."""
    names: dict[str, object] = {}
    for node in getattr(tree, "body", []):
        target = plain_assignment(node)
        value = literal_value(node.value) if target else MISSING  # type: ignore[attr-defined]
        if target and value is not MISSING:
            names[target.id] = value
    return names


def call_arguments(function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call) -> dict[str, object] | None:
    """Each parameter of ``function`` (``self`` and ``cls`` aside) bound to the value the call passes, or to
    its default (``MISSING`` where either is not a literal); None where the call does not fit the signature."""
    parameters = [a.arg for a in function.args.args]
    if parameters[:1] in (["self"], ["cls"]):
        parameters = parameters[1:]
    if len(call.args) > len(parameters) or function.args.vararg or function.args.kwarg:
        return None
    bound: dict[str, object] = dict.fromkeys(parameters, MISSING)
    defaults = function.args.defaults
    for parameter, default in zip(parameters[len(parameters) - len(defaults):], defaults, strict=True):
        bound[parameter] = literal_value(default)
    for parameter, argument in zip(parameters, call.args, strict=False):
        bound[parameter] = literal_value(argument)
    for keyword in call.keywords:
        if keyword.arg not in parameters:
            return None
        bound[keyword.arg] = literal_value(keyword.value)
    return bound


def names_read(node: ast.AST) -> set[str]:
    """The names ``node`` reads anywhere inside it."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def plain_assignment(node: ast.stmt) -> ast.Name | None:
    """The name a plain assignment (``per_day = 0.25``) binds; None for any other statement."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0]
    return None


def _steps(function: ast.FunctionDef) -> Steps:
    """The function's local assignments (name, expression) in order, then its return (None, expression)."""
    assigned = [(target.id, s.value) for s in function.body[:-1] if (target := plain_assignment(s))]
    return [*assigned, (None, function.body[-1].value)]  # type: ignore[attr-defined]


def _run(steps: Steps, names: dict[str, object]) -> object:
    """What the steps return with ``names`` bound (``MISSING`` where a step may not run or raises)."""
    scope = dict(names)
    for target, expression in steps:
        value = _evaluate(expression, scope) if _evaluable(expression, scope) else MISSING
        if value is MISSING or target is None:
            return value
        scope[target] = value
    return MISSING


def literal_value(node: ast.expr | str) -> object:
    """The value a literal (a node, or source) stands for; ``MISSING`` where it is not a literal."""
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return MISSING


def value_of(expression: ast.expr, names: dict[str, object], builtins: Mapping[str, object] = _BUILTINS) -> object:
    """What ``expression`` gives with ``names`` bound and only ``builtins`` callable (``MISSING`` where it
    reads anything else or raises)."""
    return _evaluate(expression, names, builtins) if _evaluable(expression, names, builtins) else MISSING


def _evaluable(expression: ast.expr, names: dict[str, object], builtins: Mapping[str, object] = _BUILTINS) -> bool:
    """Whether ``expression`` reads only what ``_evaluate`` may run: no attribute, no import, no lambda."""
    for node in ast.walk(expression):
        if not isinstance(node, _ALLOWED):
            return False
        if isinstance(node, ast.Name) and node.id not in names and node.id not in builtins:
            return False
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.keywords):
            return False
    return True


def _evaluate(expression: ast.expr, names: dict[str, object], builtins: Mapping[str, object] = _BUILTINS) -> object:
    """The expression's value (``MISSING`` where it raises); only after ``_evaluable`` said it may run."""
    try:
        compiled = compile(ast.fix_missing_locations(ast.Expression(expression)), "<relabel>", "eval")
        return eval(compiled, {"__builtins__": {}, **builtins}, dict(names))  # noqa: S307 - checked above
    except (ArithmeticError, TypeError, ValueError, IndexError, KeyError, RecursionError, MemoryError):
        return MISSING


def _same(value: object, target: object) -> bool:
    """``value`` equals ``target``: floats within a relative 1e-6 (``pytest.approx``'s tolerance)."""
    if value is MISSING or isinstance(value, bool) or isinstance(target, bool):
        return False
    if isinstance(value, int | float) and isinstance(target, int | float):
        return math.isclose(value, target, rel_tol=1e-6, abs_tol=1e-12)
    return value == target


def _module_numbers(tree: ast.AST, function: ast.FunctionDef, steps: Steps) -> dict[str, ast.Constant]:
    """The module constants written as a number (``BOTTLE = 0.7``) that the steps read, neither a
    parameter nor a local shadowing them: the value node of each, by name."""
    found = {}
    for node in getattr(tree, "body", []):
        target = plain_assignment(node)
        if target and _is_number(node.value):  # type: ignore[attr-defined]
            found[target.id] = node.value  # type: ignore[attr-defined]
    return {name: found[name] for name in _numbers_read(function, steps, found)}


def _numbers_read(function: ast.FunctionDef, steps: Steps, numbers: Mapping[str, object]) -> list[str]:
    """Those of ``numbers`` (names bound outside the function) the steps read, in the order given, less
    any a parameter or a local shadows."""
    arguments = function.args
    shadowing = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
    shadowing |= {target for target, _ in steps if target}
    read = set().union(*(names_read(expression) for _, expression in steps)) - shadowing
    return [name for name in numbers if name in read]


def _candidates(code: str, steps: Steps, names: dict[str, object], constants: dict[str, ast.Constant],
                wrong: object, right: object) -> Iterator[str]:
    """Edited versions of ``code`` whose steps give ``right``, most plausible first."""
    nodes = [node for _, expression in steps for node in ast.walk(expression)]
    for node in nodes:  # an operator swapped
        if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
            original = node.op
            for other in _OPERATORS:
                if other is type(original):
                    continue
                node.op = other()
                fits = _same(_run(steps, names), right)
                node.op = original
                if fits:
                    yield _swap_operator(code, node, _SYMBOLS[other])
    if isinstance(wrong, int | float) and isinstance(right, int | float):
        # named numbers first (a local's, then a module constant's), then those written in the return
        in_locals = [n for _, expression in steps[:-1] for n in ast.walk(expression) if _is_number(n)]
        in_return = [n for n in ast.walk(steps[-1][1]) if _is_number(n)]
        numbers: list[tuple[ast.Constant, Written]] = [
            *((n, _in_place(steps, names, n)) for n in in_locals),
            *((node, _through(steps, names, name)) for name, node in constants.items()),
            *((n, _in_place(steps, names, n)) for n in in_return)]
        for node, written in numbers:  # a number replaced: by a factor or a term
            for value in _solutions(node.value, wrong, right):
                if _same(written(value), right):
                    yield _replace(code, node, repr(value))
        for node, written in numbers:  # a number replaced: solved for
            value = _solved(written, node.value, right)
            if value is not None:
                yield _replace(code, node, repr(value))
    if isinstance(wrong, dict) and isinstance(right, dict):
        yield from _added_keys(code, steps[-1][1], names, wrong, right)


def _is_number(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _in_place(steps: Steps, names: dict[str, object], node: ast.Constant) -> Written:
    """The steps' result with the number ``node`` (in them) written as another value."""
    def run(value: int | float) -> object:
        original, node.value = node.value, value
        try:
            return _run(steps, names)
        finally:
            node.value = original
    return run


def _through(steps: Steps, names: dict[str, object], name: str) -> Written:
    """The steps' result with the module constant ``name`` they read set to another value."""
    return lambda value: _run(steps, {**names, name: value})


def _solutions(constant: int | float, wrong: int | float, right: int | float) -> list[int | float]:
    """Values of a constant that may turn ``wrong`` into ``right``: scaled (a factor) or shifted (a term)."""
    found = []
    for value in (constant * right / wrong if wrong else None, constant * wrong / right if right else None,
                  constant + (right - wrong), constant - (right - wrong)):
        if value is None or not math.isfinite(value) or value == constant:
            continue
        if isinstance(constant, int) and float(value).is_integer():
            value = int(value)
        elif isinstance(value, float):
            value = round(value, 10)
        if value not in found:
            found.append(value)
    return found


def _solved(written: Written, start: int | float, right: int | float) -> int | float | None:
    """The value of a number (``start`` as written) after which the steps give ``right``, found by the
    secant method and written with as few decimals as still fit; None where it does not converge (a step
    function, no root)."""
    def gap(value: float) -> float | None:
        result = written(value)
        numeric = isinstance(result, int | float) and not isinstance(result, bool) and math.isfinite(result)
        return result - right if numeric else None  # type: ignore[operator]

    a = float(start)
    b = a * 1.01 if a else 0.01
    fa, fb = gap(a), gap(b)
    for _ in range(40):
        if fa is None or fb is None or fa == fb:
            return None
        a, fa, b = b, fb, b - fb * (b - a) / (fb - fa)
        fb = gap(b)
        if fb is not None and (abs(fb) <= 1e-9 * max(1.0, abs(right)) or abs(b - a) <= 1e-12 * max(1.0, abs(b))):
            break
    if not math.isfinite(b):
        return None
    for digits in range(10):
        value: int | float = round(b, digits)
        if float(value).is_integer() and isinstance(start, int):
            value = int(value)
        if value != start and _same(written(value), right):
            return value
    return None


def _added_keys(code: str, expression: ast.expr, names: dict[str, object], wrong: dict,
                right: dict) -> Iterator[str]:
    """The returned dict display with the keys it lacks, each valued by the parameter holding its value."""
    if not isinstance(expression, ast.Dict) or not expression.keys or None in expression.keys:
        return
    missing = [k for k in right if k not in wrong]
    if not missing or any(k in right and right[k] != v for k, v in wrong.items()):
        return
    if any(not isinstance(k, str) or not _same(names.get(k, MISSING), right[k]) for k in missing):
        return
    quote = (ast.get_source_segment(code, expression.keys[0]) or "'")[0]
    entries = [f"{quote}{key}{quote}: {key}" for key in missing]
    segment = ast.get_source_segment(code, expression)
    if segment is None or not segment.endswith("}"):
        return
    body = segment[:-1].rstrip().rstrip(",")
    yield _replace(code, expression, body + ", " + ", ".join(entries) + "}")


def _swap_operator(code: str, node: ast.BinOp, symbol: str) -> str:
    """``code`` with ``node``'s operator (the text between its operands) written as ``symbol``."""
    start, end = end_of(code, node.left), start_of(code, node.right)
    between = code[start:end]
    old = _SYMBOLS[type(node.op)]
    at = between.find(old)
    return code[:start] + between[:at] + symbol + between[at + len(old):] + code[end:]


def _replace(code: str, node: ast.expr, text: str) -> str:
    return code[:start_of(code, node)] + text + code[end_of(code, node):]
