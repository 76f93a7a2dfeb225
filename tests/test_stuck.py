"""Every stuck kind on recorded trajectories, and the sequences that must not count as stuck."""

from __future__ import annotations

import pytest

from unstuck.stuck import StuckDetector, StuckSettings, detect
from unstuck.trajectory import CheckResult, Failure, Step


def failing(n: int, message: str = "assert 'Hello, Bob!' == 'Ahoy, Bob!'", test: str = "t.py::test_a") -> CheckResult:
    failures = [Failure(f"{test}{i or ''}", "AssertionError", message, "t.py:3") for i in range(n)]
    from unstuck.checks import fingerprint

    return CheckResult(False, 1, failures, fingerprint=fingerprint(failures))


PASSING = CheckResult(True, 0, [], n_passed=3)


def write(i: int, text: str, check: CheckResult, thought: str = "") -> Step:
    return Step(i, output=f"{thought}\n```python\n{text}\n```", check=check, observation=check.output,
                action={"kind": "write", "path": "a.py", "text": text})


def run(i: int, command: str, output: str, exit_code: int = 0) -> Step:
    return Step(i, output=f"```bash\n{command}\n```", action={"kind": "run", "text": command},
                observation=output, exit_code=exit_code)


def chatter(i: int, text: str) -> Step:
    return Step(i, output=text, error="format: No action found in your reply.")


def verdict_of(steps: list[Step], **settings: int):
    return detect(steps, StuckSettings(**settings))


def test_repeated_action_and_observation():
    steps = [run(i, "cat a.py", f"x = 1  # read at 0x{i:04x}") for i in range(4)]
    verdict = verdict_of(steps)
    assert verdict.kind == "repeated-action-observation" and verdict.since_step == 0


def test_repeated_action_with_errors():
    steps = [run(0, "ls", "a.py"), *[run(i, "python a.py", "Traceback: boom", exit_code=1) for i in (1, 2, 3)]]
    verdict = verdict_of(steps)
    assert verdict.kind == "repeated-action-error" and verdict.since_step == 1


def test_monologue():
    steps = [chatter(i, "I think I should look at the file.") for i in range(3)]
    assert verdict_of(steps).kind == "monologue"


def test_ping_pong():
    steps = [run(i, "cat a.py" if i % 2 == 0 else "cat b.py", "A" if i % 2 == 0 else "B") for i in range(6)]
    verdict = verdict_of(steps)
    assert verdict.kind == "ping-pong" and verdict.since_step == 0


def test_same_failure_after_different_edits():
    steps = [write(1, "return 'Hello'", failing(1), "Maybe this"), write(2, "return 'Hi'", failing(1), "Or that")]
    verdict = verdict_of(steps)
    assert verdict.kind == "fingerprint-repeat" and verdict.since_step == 1
    assert "Ahoy" in verdict.evidence


def test_no_progress_in_failing_tests():
    messages = ["boom one", "boom two", "boom three", "boom four"]
    steps = [Step(0, action={"kind": "check", "text": "pytest"}, check=failing(2))]
    steps += [write(i + 1, f"v{i}", failing(2, messages[i]) if i % 2 else failing(3, messages[i]))
              for i in range(4)]
    verdict = verdict_of(steps)
    assert verdict.kind == "no-progress" and verdict.since_step == 1


def test_a_converging_edit_test_sequence_is_not_stuck():
    steps = [Step(0, action={"kind": "check", "text": "pytest"}, check=failing(3))]
    for i, remaining in enumerate((2, 2, 1, 1, 0), start=1):
        check = failing(remaining, f"error {i}") if remaining else PASSING
        steps.append(write(i, f"version {i}", check))
        assert verdict_of(steps) is None, f"flagged at step {i}"


def test_polling_a_long_job_is_not_a_loop():
    steps = [run(0, "nohup make build > build.log 2>&1 &", "")]
    steps += [run(i, "sleep 5; tail -n 1 build.log", "compiling…") for i in range(1, 7)]
    assert verdict_of(steps) is None


def test_reworded_thoughts_do_not_hide_a_loop():
    thoughts = ["Let me fix it.", "I will try once more, carefully.", "This time it should work!"]
    steps = [write(i, "return 'Hello'", failing(1), thoughts[i]) for i in range(3)]
    assert verdict_of(steps).kind == "repeated-action-error"


def test_different_commands_that_fail_differently_are_not_stuck():
    steps = [run(i, f"python -c 'import m{i}'", f"ModuleNotFoundError: m{i}", exit_code=1) for i in range(5)]
    assert verdict_of(steps) is None


def test_observations_are_compared_normalised():
    outputs = [f"\x1b[31mFAILED\x1b[0m in {0.1 * i:.2f}s, /tmp/pytest-{i}/x, pid {100 + i}" for i in range(4)]
    steps = [run(i, "pytest -q", outputs[i]) for i in range(4)]
    assert verdict_of(steps).kind == "repeated-action-observation"


def test_a_loop_is_reported_once_then_watched_afresh():
    detector = StuckDetector()
    steps = [write(1, "a", failing(1)), write(2, "b", failing(1))]
    assert detector.inspect(steps).kind == "fingerprint-repeat"
    steps.append(write(3, "c", failing(1)))
    assert detector.inspect(steps) is None  # one new edit: not yet a new loop
    steps.append(write(4, "d", failing(1)))
    assert detector.inspect(steps).since_step == 3


@pytest.mark.parametrize("threshold", [3, 4])
def test_thresholds_are_settings(threshold: int):
    steps = [write(i, f"v{i}", failing(1)) for i in range(threshold)]
    assert verdict_of(steps[:-1], fingerprint_edits=threshold) is None
    assert verdict_of(steps, fingerprint_edits=threshold).kind == "fingerprint-repeat"
