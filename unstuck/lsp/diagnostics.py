"""A check's failures as editor diagnostics: on the failing test's assertion line and on the frame
in the code under test, with the failure's message."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..repomap import is_test_file
from ..trajectory import CheckResult, Failure

_FRAME = re.compile(r"^([\w./-]+\.py):(\d+):", re.M)


@dataclass(frozen=True)
class Located:
    """One diagnostic to show: a repo file, a 0-based line, the message, the failing test."""

    path: str
    line: int
    message: str
    test_id: str


def frames(failure: Failure) -> list[tuple[str, int]]:
    """The ``path:line`` frames of a failure's traceback, outermost first (1-based lines)."""
    found = [(path, int(line)) for path, line in _FRAME.findall(failure.text or "")]
    if not found and failure.frame and ":" in failure.frame:
        path, _, line = failure.frame.rpartition(":")
        if line.isdigit():
            found = [(path, int(line))]
    return found


def locate(failures: list[Failure], repo: Path) -> list[Located]:
    """Where each failure points in the repo: its last frame in a test file (the assertion) and its
    deepest frame in the code under test — files that exist in ``repo`` only."""
    located: list[Located] = []
    for failure in failures:
        message = _message(failure)
        in_repo = [(path, line) for path, line in frames(failure) if (repo / path).is_file()]
        test_frames = [f for f in in_repo if is_test_file(f[0])]
        code_frames = [f for f in in_repo if not is_test_file(f[0])]
        chosen = ([test_frames[-1]] if test_frames else []) + ([code_frames[-1]] if code_frames else [])
        if not chosen:  # a collection error of a test file: its first line
            path = failure.test_id.split("::")[0]
            chosen = [(path, 1)] if (repo / path).is_file() else []
        located.extend(Located(path, max(line - 1, 0), message, failure.test_id) for path, line in chosen)
    return located


def by_file(located: list[Located]) -> dict[str, list[Located]]:
    grouped: dict[str, list[Located]] = defaultdict(list)
    for item in located:
        if item not in grouped[item.path]:
            grouped[item.path].append(item)
    return dict(grouped)


def _message(failure: Failure) -> str:
    first = (failure.message or failure.exc_type or "failed").strip().splitlines()[0]
    return f"{failure.test_id}: {first}"


def failing_summary(check: CheckResult) -> str:
    if check.passed:
        return f"the check passes ({check.n_passed} passed)"
    return f"{check.n_failed} failing: " + ", ".join(f.test_id for f in check.failures[:5])
