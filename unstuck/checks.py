"""Running a task's check in a sandbox and reading its result.

The check is any shell line (``pytest -q``, ``make test``, ``tox -e py311``, ``pytest; echo done``).
pytest's options reach it through the environment (``PYTEST_ADDOPTS``), so every pytest it runs
writes JUnit XML; a check that is not pytest is read from its exit code and normalised output.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shlex
import threading
import weakref

from junitparser import JUnitXml
from junitparser.junitparser import Error as JUnitError
from junitparser.junitparser import Failure as JUnitFailure
from junitparser.junitparser import Properties

from sandbox import Sandbox
from sandbox.errors import SandboxError

from .control import Cancelled
from .trajectory import CheckResult, Failure

JUNIT_PATH = "/tmp/unstuck-junit.xml"
DEFAULT_CHECK = "python -m pytest -q -p no:cacheprovider"
_NOISE = [
    (re.compile(r"\x1b\[[0-9;]*[A-Za-z]"), ""),  # ANSI colours
    (re.compile(r"0x[0-9a-fA-F]+"), "0x?"),  # addresses
    (re.compile(r"/tmp/[^\s:'\"]+"), "/tmp/?"),  # temporary paths
    (re.compile(r"\d+\.\d+s\b"), "?s"),  # durations
    (re.compile(r"\b\d{4}-\d\d-\d\dT[\d:.]+\S*"), "?"),  # timestamps
]


def normalise(text: str) -> str:
    """Text with what changes between identical runs removed (colours, addresses, times, tmp paths)."""
    for pattern, replacement in _NOISE:
        text = pattern.sub(replacement, text)
    return text.strip()


FACTS_PLUGIN = "unstuck_facts"
"""unstuck's pytest plugin (``sandbox/unstuck_facts.py``, in the sandbox image): what a failure reveals."""
_NO_PLUGIN = re.compile(rf"Error importing plugin \"?{FACTS_PLUGIN}|No module named '?{FACTS_PLUGIN}")
_without_plugin: weakref.WeakSet[object] = weakref.WeakSet()


def check_environment(plugin: bool = True) -> dict[str, str]:
    """What the check runs with: pytest writes its JUnit XML where ``run_check`` reads it, with the facts
    the plugin reads from each failure."""
    return {"PYTEST_ADDOPTS": f"--junitxml={JUNIT_PATH}" + (f" -p {FACTS_PLUGIN}" if plugin else "")}


def run_check(sandbox: Sandbox, check: str = DEFAULT_CHECK, timeout: float = 300,
              cancel: threading.Event | None = None) -> CheckResult:
    """Run ``check`` and read its failures (pytest's JUnit XML where it ran pytest, else the exit code
    and output). ``Cancelled`` when ``cancel`` is set while it runs."""
    plugin = sandbox not in _without_plugin
    result = sandbox.run(f"rm -f {JUNIT_PATH}; {check}", timeout=timeout, env=check_environment(plugin),
                         cancel=cancel)
    if plugin and _NO_PLUGIN.search(result.output):  # the check's interpreter cannot import it: do without
        _without_plugin.add(sandbox)
        return run_check(sandbox, check, timeout, cancel)
    if result.cancelled:
        raise Cancelled("the check was running")
    xml = sandbox.run(f"cat {JUNIT_PATH} 2>/dev/null", timeout=30).output
    failures, passed_count = parse_junit(xml)
    if result.exit_code != 0 and not failures:
        tail = normalise(result.output)[-400:]
        facts = expected_actual(result.output)
        scripts = script_paths(check)
        if facts and scripts:  # name the call the script checks, so the fact has a subject to solve for
            subject = checked_call(_script_text(sandbox, scripts[0]))
            facts = [{**fact, "subject": subject} if subject else fact for fact in facts]
        failures = [Failure(WHOLE_CHECK, "ExitCode", f"exit code {result.exit_code}", "", tail, facts)]
    check_result = CheckResult(
        # `pytest; echo done` exits 0 with failing tests: the failures count, not the last command's code.
        passed=result.exit_code == 0 and not failures, exit_code=result.exit_code, failures=failures,
        n_passed=passed_count, output=result.output, timed_out=result.timed_out,
    )
    check_result.fingerprint = fingerprint(failures) if failures else None
    return check_result


# `E   NameError: name 'List' is not defined` — the exception line pytest prints under a traceback.
_RAISED = re.compile(r"^E\s+(\w+(?:Error|Exception|Exit|Interrupt)): (.+)$", re.M)


def parse_junit(xml: str) -> tuple[list[Failure], int]:
    """(failures, number passed) from pytest's JUnit XML; empty when the XML is missing or cut."""
    if "<testsuite" not in xml:
        return [], 0
    try:
        suites = JUnitXml.fromstring(xml.encode())
    except Exception:  # noqa: BLE001 - output capped mid-XML: fall back to the exit code
        return [], 0
    failures, passed = [], 0
    for suite in suites if hasattr(suites, "__iter__") else [suites]:
        for case in suite:
            problems = [r for r in case.result if isinstance(r, JUnitFailure | JUnitError)]
            if not problems:
                passed += 0 if case.result else 1
                continue
            problem = problems[0]
            message = problem.message or ""
            text = problem.text or ""
            exc_type = _exception_type(problem.type, message, text)
            raised = _RAISED.findall(text) if not problem.type else []
            if raised:  # a collection error says only "collection failure"; its text has the exception
                exc_type, message = raised[-1][0], ": ".join(raised[-1])
            test_id = _test_id(case.classname, case.name)
            failures.append(Failure(test_id, exc_type, message, _top_frame(text), text[-4000:], _facts(case)))
    return failures, passed


_LOCATED_TYPE = re.compile(r"^[\w./-]+\.py:\d+: (\w+)$", re.M)


def _exception_type(declared: str | None, message: str, text: str) -> str:
    """The exception's class name: pytest's ``path:line: Type`` last line, else the declared type, else
    the message's ``Type:`` prefix (a plain ``assert`` failure is an ``AssertionError``)."""
    located = _LOCATED_TYPE.findall(text)
    if located:
        return located[-1]
    if declared:
        return declared.split(".")[-1]
    prefix = re.match(r"(\w+(?:Error|Exception|Exit|Failed))\b", message)
    return prefix.group(1) if prefix else "AssertionError"


def _facts(case: object) -> list[dict[str, object]]:
    """The ``unstuck.fact`` properties the plugin attached to a test case."""
    properties = case.child(Properties)  # type: ignore[attr-defined]
    found = []
    for prop in properties or []:
        if prop.name == "unstuck.fact":
            try:
                found.append(json.loads(prop.value))
            except (TypeError, ValueError):
                continue
    return found


_EXPECTED = re.compile(r"^\s*expected\s*[:=]\s*(?P<value>.+?)\s*$", re.M | re.I)
_ACTUAL_WORDS = r"actual|got|but (?:got|was)"
"""The words a check's output labels the value it got with (``actual: 20``, ``got 4``)."""
_ACTUAL = re.compile(rf"^\s*(?:{_ACTUAL_WORDS})\s*[:=]\s*(?P<value>.+?)\s*$", re.M | re.I)
_EXPECTED_GOT = re.compile(r"expected\s+(?P<expected>.+?),\s+(?:but\s+)?got\s+(?P<actual>.+?)\s*$", re.M | re.I)


def expected_actual(output: str) -> list[dict[str, object]]:
    """The expected and actual values a check that is not pytest prints (``expected: X`` and
    ``actual: Y`` lines, or ``expected X, got Y``), as a fact."""
    text = normalise(output)
    expected, actual = _EXPECTED.search(text), _ACTUAL.search(text)
    if expected and actual:
        return [{"kind": "compare", "op": "==", "left": actual.group("value"), "right": expected.group("value"),
                 "source": "the check's output"}]
    both = _EXPECTED_GOT.search(text)
    if both:
        return [{"kind": "compare", "op": "==", "left": both.group("actual"), "right": both.group("expected"),
                 "source": "the check's output"}]
    return []


def script_paths(check: str) -> list[str]:
    """The Python scripts a check command runs (``python check_pints.py`` → ``check_pints.py``)."""
    try:
        words = shlex.split(check)
    except ValueError:
        return []
    found, after_python = [], False
    for word in words:
        if after_python and word.endswith(".py"):
            found.append(word)
        after_python = bool(re.fullmatch(r"(\S*/)?python[\d.]*", word)) or (after_python and word.startswith("-"))
    return found


def _script_text(sandbox: Sandbox, path: str) -> str:
    """A check script's text as the sandbox holds it; empty where it cannot be read (the check's ``cd``
    elsewhere, a path outside the workspace)."""
    try:
        return sandbox.read_file(path)
    except (OSError, SandboxError):
        return ""


def checked_call(script: str) -> str:
    """The call whose value a check script prints as its actual value (``actual = pints(10)`` …
    ``print(f"actual: {actual}")`` → ``pints(10)``), else the script's one call of an imported function;
    empty when there is none, or more than one."""
    try:
        tree = ast.parse(script)
    except (SyntaxError, ValueError):
        return ""
    assigned = {target.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name) and isinstance(node.value, ast.Call)}
    for shown in _printed_as_actual(tree):
        call = assigned.get(shown.id) if isinstance(shown, ast.Name) else shown
        if isinstance(call, ast.Call):
            return ast.unparse(call)
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    calls = {ast.unparse(node) for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported}
    return calls.pop() if len(calls) == 1 else ""


def _printed_as_actual(tree: ast.AST) -> list[ast.expr]:
    """The expressions a ``print`` shows beside an ``actual``/``got`` label (an f-string's placeholder, or
    the argument after the label)."""
    shown: list[ast.expr] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"):
            continue
        for i, arg in enumerate(node.args):
            if isinstance(arg, ast.JoinedStr):
                label = "".join(v.value for v in arg.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
                if _ACTUAL_LABEL.search(label):
                    shown += [v.value for v in arg.values if isinstance(v, ast.FormattedValue)][:1]
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _ACTUAL_LABEL.search(arg.value):
                shown += node.args[i + 1:i + 2]
    return shown


_ACTUAL_LABEL = re.compile(rf"\b(?:{_ACTUAL_WORDS})\b", re.I)


def _test_id(classname: str | None, name: str) -> str:
    """pytest's node id from JUnit's ``classname`` and ``name``: ``tests.test_x.TestY`` + ``test_z`` →
    ``tests/test_x.py::TestY::test_z`` (class names start upper-case, module names do not)."""
    if not classname:
        return name
    parts = classname.split(".")
    classes = []
    while len(parts) > 1 and parts[-1][:1].isupper():
        classes.insert(0, parts.pop())
    return "::".join(["/".join(parts) + ".py", *classes, name])


def _top_frame(text: str) -> str:
    frames = re.findall(r"^([\w./-]+\.py):(\d+):", text, re.M)
    return f"{frames[-1][0]}:{frames[-1][1]}" if frames else ""


WHOLE_CHECK = "<check>"
"""The test id of a failure that is the whole check (it is not pytest, or pytest left no report)."""


def fingerprint(failures: list[Failure]) -> str:
    """A stable id of *how* the check fails: test ids, exception types, top frames, messages — and,
    for a check that is not pytest, its normalised output."""
    parts = sorted(
        f"{f.test_id}|{f.exc_type}|{f.frame.split(':')[0]}|{normalise(f.message.splitlines()[0] if f.message else '')}"
        + (f"|{normalise(f.text)}" if f.test_id == WHOLE_CHECK else "")
        for f in failures
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


_PYTEST_BROKEN = (
    (re.compile(r"^INTERNALERROR>", re.M), "pytest failed with an internal error"),
    # not anchored to a line start: stderr's ERROR line can arrive glued to stdout's last line
    (re.compile(r"ERROR: usage:|ERROR: file or directory not found|error: unrecognized arguments"),
     "pytest was called wrongly (usage error)"),
    (re.compile(r"\bno tests ran\b|collected 0 items"), "no tests were collected"),
)


def broken_pipeline(check: CheckResult) -> str | None:
    """Why a failing check is not a test failure to repair — a command that is missing or not
    executable, pytest's own usage or internal error, no tests collected, a timeout — or None."""
    if check.passed:
        return None
    last = next((line for line in reversed(normalise(check.output).splitlines()) if line.strip()), "")
    if check.timed_out:
        return "the check did not finish within its time limit"
    if check.exit_code == 127:
        return f"the check's command was not found (exit 127): {last}"
    if check.exit_code == 126:
        return f"the check's command cannot be executed (exit 126): {last}"
    if check.failures and check.failures[0].test_id != WHOLE_CHECK:
        return None  # tests ran and failed (or failed to import): that is what the agent repairs
    for pattern, reason in _PYTEST_BROKEN:
        if pattern.search(check.output):
            return f"{reason} (exit {check.exit_code}): {last}"
    return None


MODULE_BREAKERS = frozenset({"SyntaxError", "IndentationError", "TabError", "ImportError", "ModuleNotFoundError",
                             "NameError"})
"""Exceptions that say the code no longer loads (or names something it no longer defines)."""


def new_breakage(before: CheckResult, after: CheckResult) -> Failure | None:
    """The first failure of ``after`` that says an edit broke the code — a syntax or import error, an
    undefined name — of a kind ``before`` did not show; None when ``after`` has none."""
    if after.passed:
        return None
    shown = {f.exc_type for f in before.failures}
    return next((f for f in after.failures if f.exc_type in MODULE_BREAKERS and f.exc_type not in shown), None)
