"""Running a task's check in a sandbox and reading its result (pytest's JUnit XML when it is pytest)."""

from __future__ import annotations

import hashlib
import re

from junitparser import JUnitXml
from junitparser.junitparser import Error as JUnitError
from junitparser.junitparser import Failure as JUnitFailure

from sandbox import Sandbox

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


def is_pytest(check: str) -> bool:
    return bool(re.search(r"\bpytest\b", check))


def run_check(sandbox: Sandbox, check: str = DEFAULT_CHECK, timeout: float = 300) -> CheckResult:
    """Run ``check`` and parse its failures (JUnit XML for pytest, the exit code otherwise)."""
    command = f"rm -f {JUNIT_PATH}; {check} --junitxml={JUNIT_PATH}" if is_pytest(check) else check
    result = sandbox.run(command, timeout=timeout)
    failures: list[Failure] = []
    passed_count = 0
    if is_pytest(check):
        xml = sandbox.run(f"cat {JUNIT_PATH} 2>/dev/null", timeout=30).output
        failures, passed_count = parse_junit(xml)
    if result.exit_code != 0 and not failures:
        tail = normalise(result.output)[-400:]
        failures = [Failure("<check>", "ExitCode", f"exit code {result.exit_code}", "", tail)]
    check_result = CheckResult(
        passed=result.exit_code == 0, exit_code=result.exit_code, failures=failures,
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
            exc_type = (problem.type or message.split(":", 1)[0]).split(".")[-1]
            raised = _RAISED.findall(text) if not problem.type else []
            if raised:  # a collection error says only "collection failure"; its text has the exception
                exc_type, message = raised[-1][0], ": ".join(raised[-1])
            test_id = f"{case.classname.replace('.', '/')}.py::{case.name}" if case.classname else case.name
            failures.append(Failure(test_id, exc_type, message, _top_frame(text), text[-4000:]))
    return failures, passed


def _top_frame(text: str) -> str:
    frames = re.findall(r"^([\w./-]+\.py):(\d+):", text, re.M)
    return f"{frames[-1][0]}:{frames[-1][1]}" if frames else ""


def fingerprint(failures: list[Failure]) -> str:
    """A stable id of *how* the check fails: test ids, exception types, top frames, messages."""
    parts = sorted(
        f"{f.test_id}|{f.exc_type}|{f.frame.split(':')[0]}|{normalise(f.message.splitlines()[0] if f.message else '')}"
        for f in failures
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
