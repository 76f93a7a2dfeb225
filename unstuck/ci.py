"""``unstuck ci``: the headless repair bot. A consumer of the run API with a CI's manners.

1. The repo's setup (dependencies installed once, cached as an image) — a failure is exit 3.
2. The check, once, in a fresh sandbox: passing is exit 0 with no patch; a broken pipeline (a
   missing command, no tests collected, pytest's own errors) is exit 3 — never "repaired".
3. The agent repairs (the whole ladder, learning included); the patch is re-run from a fresh
   sandbox on the patched tree. Only that makes it fixed (exit 0). Otherwise exit 1, and the best
   partial patch is still written, marked not verified.
4. A patch, a JSON report, a markdown summary (to ``--summary`` or ``$GITHUB_STEP_SUMMARY``), and
   ``fixed``, ``verified`` and ``patch-path`` in ``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import broken_pipeline, run_check
from .errors import EXIT_ENVIRONMENT, EXIT_FIXED, EXIT_NOT_FIXED
from .fileio import write_atomic
from .outcome import Outcome
from .patching import patch_stats
from .trajectory import CheckResult, Trajectory


@dataclass
class CiFiles:
    """Where the bot writes (None: not written; the GitHub ones come from the environment)."""

    patch: Path | None = None
    report: Path | None = None
    summaries: list[Path] = field(default_factory=list)
    """``--summary`` and, under GitHub Actions, ``$GITHUB_STEP_SUMMARY`` (appended to)."""
    github_output: Path | None = None

    @classmethod
    def from_options(cls, patch: Path | None, report: Path | None, summary: Path | None) -> CiFiles:
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        output = os.environ.get("GITHUB_OUTPUT")
        summaries = [path for path in (summary, Path(step_summary) if step_summary else None) if path is not None]
        return cls(patch, report, summaries, Path(output) if output else None)


@dataclass
class CiReport:
    """What the bot did, for the JSON report and the summary."""

    status: str
    """``fixed``, ``already-passing``, ``not-fixed``, ``broken-pipeline`` or ``setup-failed``."""
    fixed: bool
    verified: bool
    reason: str
    check: str
    repo: str
    failing_before: list[str] = field(default_factory=list)
    failing_after: list[str] = field(default_factory=list)
    seconds: float = 0.0
    setup_seconds: float = 0.0
    turns: int = 0
    steps: int = 0
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    patch: dict[str, Any] = field(default_factory=dict)
    """``path``, ``files``, ``added``, ``removed``, ``verified``, ``partial``."""
    tried: list[dict[str, Any]] = field(default_factory=list)
    """Each step that edited or ran something: what, and how many tests failed after it."""
    dropped_test_edits: list[str] = field(default_factory=list)
    recalled: dict[str, Any] = field(default_factory=dict)
    trajectory: str | None = None

    @property
    def exit_code(self) -> int:
        if self.status in ("broken-pipeline", "setup-failed"):
            return EXIT_ENVIRONMENT
        return EXIT_FIXED if self.fixed else EXIT_NOT_FIXED


def run_ci(runtime: Any, repo: Path, files: CiFiles, on_event: Any = None, say: Any = print) -> CiReport:
    """The whole bot on ``repo`` with ``runtime``'s settings; every output is written before it returns."""
    from sandbox.environment import SetupFailed

    settings = runtime.settings
    check = settings.task.check
    started = time.monotonic()
    report = CiReport("not-fixed", False, False, "", check, str(repo))
    try:
        report.setup_seconds = round(runtime.sandboxes.prepare(repo, settings.task.setup), 2)
    except SetupFailed as error:
        report.status, report.reason = "setup-failed", str(error)
        return _finish(report, started, files, "")
    say(f"running the check once: {check}")
    with runtime.sandboxes(repo) as sandbox:
        first = run_check(sandbox, check, settings.agent.check_timeout)
    report.failing_before = [f.test_id for f in first.failures]
    if first.passed:
        report.status, report.fixed, report.verified = "already-passing", True, True
        report.reason = "the check already passes; nothing to repair"
        return _finish(report, started, files, "")
    if reason := broken_pipeline(first):
        report.status, report.reason = "broken-pipeline", f"not a test failure, so not repaired: {reason}"
        return _finish(report, started, files, "")
    say(f"{len(first.failures)} failing: repairing with {settings.model.model} "
        f"(budget {settings.agent.max_steps} turns)")
    outcome: Outcome = runtime.start(settings, repo, on_event=on_event).wait()
    _take_outcome(report, outcome)
    # Not fixed: only a state with fewer failing tests than at the start is worth handing back.
    patch = outcome.patch if outcome.fixed else outcome.best_patch
    if not outcome.fixed and not patch:
        report.reason += "; no change had fewer failing tests than at the start, so no patch"
    return _finish(report, started, files, patch)


def _take_outcome(report: CiReport, outcome: Outcome) -> None:
    report.fixed, report.verified = outcome.fixed, outcome.verified
    report.status = "fixed" if outcome.fixed else "not-fixed"
    report.reason = outcome.reason
    report.turns, report.steps = outcome.turns, outcome.steps
    report.verdicts, report.recalled = outcome.verdicts, outcome.recalled
    report.updates = [{k: u.get(k) for k in ("source", "accepted", "reason", "kl", "steps", "seconds", "truths")}
                      for u in outcome.updates]
    report.dropped_test_edits, report.trajectory = outcome.dropped_test_edits, outcome.trajectory
    steps = Trajectory.load(outcome.trajectory).steps if outcome.trajectory else []
    checks = [s.check for s in steps if s.check is not None]
    report.failing_after = [] if outcome.fixed else [f.test_id for f in (checks[-1].failures if checks else [])]
    report.tried = [_tried(s.action, s.check, s.error) for s in steps[1:] if s.action]


def _tried(action: dict[str, Any], check: CheckResult | None, error: str | None) -> dict[str, Any]:
    what = {"run": f"ran `{action.get('text', '').strip()[:80]}`", "write": f"rewrote {action.get('path')}",
            "edit": f"edited {action.get('path')}", "finish": "said it was done"}.get(action.get("kind"), "?")
    return {"what": what, "failing": check.n_failed if check else None, "error": (error or "")[:160]}


def _finish(report: CiReport, started: float, files: CiFiles, patch: str) -> CiReport:
    report.seconds = round(time.monotonic() - started, 2)
    if patch:
        stats = patch_stats(patch)
        report.patch = {"path": str(files.patch) if files.patch else None, "files": stats.files,
                        "added": stats.added, "removed": stats.removed, "verified": report.verified,
                        "partial": not report.fixed}
    if files.patch is not None and patch:
        write_atomic(files.patch, patch)
    if files.report is not None:
        write_atomic(files.report, json.dumps(dataclasses.asdict(report), indent=2))
    for path in files.summaries:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(summary_markdown(report))
    if files.github_output is not None:
        with files.github_output.open("a", encoding="utf-8") as handle:
            handle.write(f"fixed={str(report.fixed).lower()}\nverified={str(report.verified).lower()}\n"
                         f"patch-path={files.patch if files.patch is not None and patch else ''}\n")
    return report


def summary_markdown(report: CiReport) -> str:
    """For humans: what failed, what was tried, where it got stuck, what it learned, why it worked or not."""
    icon = {"fixed": "✅", "already-passing": "✅", "not-fixed": "❌"}.get(report.status, "⚠️")
    lines = [f"## unstuck: {report.status.replace('-', ' ')} {icon}", "",
             f"**Check:** `{report.check}` · **failing tests:** {len(report.failing_before)} → "
             f"{len(report.failing_after) if report.status in ('fixed', 'not-fixed') else '–'} · "
             f"**time:** {report.seconds:.0f} s" + (f" (setup {report.setup_seconds:.0f} s)" if report.setup_seconds
                                                    else ""), "",
             f"**Why:** {report.reason}", ""]
    if report.status in ("fixed", "not-fixed"):
        verified = ("re-run from a fresh sandbox on the patched tree: **the check passes**" if report.verified
                    else "**not verified** — the partial patch below did not make the check pass")
        lines += [f"**Verified:** {verified}", ""]
    if report.failing_before:
        lines += ["### What failed", "", *(f"- `{t}`" for t in report.failing_before[:20]), ""]
    if report.tried:
        lines += ["### What was tried", ""]
        lines += [f"{i}. {t['what']}" + (f" → {t['failing']} failing" if t["failing"] is not None else "")
                  + (f" — {t['error']}" if t["error"] else "") for i, t in enumerate(report.tried, 1)]
        lines.append("")
    if report.verdicts:
        lines += ["### Where it got stuck", ""]
        lines += [f"- step {v['at_step']}: **{v['kind']}** — {v['evidence']}" for v in report.verdicts]
        lines.append("")
    if report.updates:
        lines += ["### What it learned", ""]
        for update in report.updates:
            verdict = "accepted" if update["accepted"] else "rolled back"
            kl = f", KL {update['kl']:.2f}" if update.get("kl") is not None else ""
            truths = "; ".join(update.get("truths") or [])
            lines.append(f"- {update.get('source') or 'stuck'} update **{verdict}** ({update['reason']}{kl})"
                         + (f" — truth: {truths}" if truths else ""))
        lines.append("")
    if report.dropped_test_edits:
        lines += [f"Test files changed by the agent were left out of the patch: {', '.join(report.dropped_test_edits)}",
                  ""]
    if report.patch:
        patch = report.patch
        lines += [f"**Patch:** {len(patch['files'])} file(s), +{patch['added']} −{patch['removed']}"
                  + (" (partial, not verified)" if patch["partial"] else ""), ""]
    return "\n".join(lines) + "\n"
