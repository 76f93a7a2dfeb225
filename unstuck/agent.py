"""The agent loop: act in the sandbox, check, notice when stuck, climb the ladder, until fixed.

```
repeat until the check passes or a budget ends:
    step boundary                      cancel? pause? the manager's interjections and teachings
    policy → reply → Action           (a bad reply gets a format hint, out of the context)
    sandbox runs it                    (after an edit: the check)
    trajectory.append(step)            (on disk every step)
    detector → verdict → ladder rung   (nudge · reflect · learn · give up)
```

``Agent.start`` runs this on its own thread and returns a ``RunHandle``: its typed events stream
every phase, and it takes cancel, pause, interject and teach. ``Agent.run`` starts and waits.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sandbox import PatchError, Sandbox
from sandbox.errors import SandboxError, first_line

from . import events as ev
from .actions import ACTION_STOP, Action, FormatError, apply_edits, parse_action
from .checks import new_breakage, run_check
from .control import Cancelled, Control
from .handle import EventCallback, RunHandle
from .ladder import GIVE_UP, LEARN, NONE, NUDGE, REFLECT, SAMPLE, Ladder
from .learn.examples import Example, ExampleSet, build_examples, taught_examples
from .learn.guard import FormatProbe
from .learn.learner import LearnerSettings
from .learn.probe import action_probe
from .learn.slices import on_next_prompt, stuck_slice
from .learn.truths import collect_truths
from .outcome import Outcome
from .patching import without_files
from .prompts import TurnState, build_messages, instruction, nudge, recall_notes, reflection_request
from .protocols import LearnerLike, MemoryLike, PolicyLike
from .records import Records
from .repomap import (
    LARGE_FILE_LINES,
    build_repo_map,
    failure_region,
    find_focus,
    imported_files,
    is_test_file,
    pointed_at,
    read_repo,
    same_code,
    splice_definitions,
    with_dropped_constants,
    with_dropped_definitions,
    without_stray_tests,
)
from .stuck import StuckDetector, StuckSettings, Verdict
from .task import Task
from .trajectory import CheckResult, Failure, Step, Trajectory

SandboxFactory = Callable[[Path], AbstractContextManager[Sandbox]]
"""Opens a fresh sandbox of a repo. One with a ``prepare(repo, setup)`` method also gets the repo's
setup phase (see ``runtime.DockerSandboxes``)."""
Emit = Callable[[ev.Event], None]


@dataclass
class AgentSettings:
    """Budgets and behaviour of one run."""

    strategy: str = "learn"
    """``learn`` (full ladder), ``reflect`` (no weight updates) or ``retry`` (no ladder)."""
    max_steps: int = 12
    """Model turns (format retries included)."""
    max_seconds: float = 1800.0
    """Wall-clock budget for the whole run (time spent paused does not count)."""
    max_tokens: int = 20_000
    """Tokens the model may generate in the whole run."""
    max_new_tokens: int = 320
    """Tokens per reply."""
    max_updates: int = 3
    """LoRA updates before giving up (``learn``; ``reflect`` and ``sample`` spend as many rungs). Three: a
    fact can take one update per failure it hides (a keyword the signature lacks, then the value the
    call must return), and with two the runs gave up with a third of their 15 turns left."""
    format_retries: int = 2
    """Re-asks after an unparsable reply before the turn counts as wasted."""
    temperature: float = 0.0
    """Sampling temperature; 0 is greedy."""
    seed: int = 0
    """Seed of sampled replies (each turn adds its step index)."""
    check_timeout: float = 300.0
    """Seconds the check may run."""
    run_timeout: float = 60.0
    """Seconds a command the agent runs may take."""
    sample_seconds: float = 15.0
    """``sample`` strategy: wall-clock spent on sampled attempts per stuck verdict, instead of an update
    (set it to what an update takes: the bench uses the median update time of its learn runs)."""
    sample_temperature: float = 0.8
    """``sample`` strategy: temperature of the sampled attempts."""
    learn_on_next_prompt: bool = True
    """An update relabels the repeated action on the prompt the agent sends next (not only on the prompts
    it was given), and the guard's format probe reads that prompt: the next prompt counts one edit more,
    and on it the agent can loop although the last prompt's reply after the update wrote the fix."""
    undo_breaking_edits: bool = True
    """Put a file back when an edit of it breaks the code (a syntax or import error, an undefined name the
    check did not show before) and tell the model why: a small model that renames the function under
    test otherwise builds every later attempt on the broken file (fresh held-out, learn: 9/17 with it,
    5/17 without; docs/results.md, "Fresh held-out: undoing edits that break the code")."""
    drop_stray_tests: bool = True
    """A write of a module that is not a test file lands without the ``test_*`` functions the file did not
    have (``repomap.without_stray_tests``), and an update's corrected action is written without them too:
    the small model writes the failing test into the module under repair (27 % of its module writes in
    the committed bench runs), and every later prompt shows it and the model copies it."""
    skip_comment_only_edits: bool = True
    """An edit that changes only comments or layout (the file parses to the same tree) is not kept nor
    checked again: the model is told, and the check it had stands. A small model loops on such edits — a
    block of comments above the function it copies every turn, and every later prompt shows it (the
    observatory's exposure, both runs); 274 of the 9205 Python writes in the committed runs (3.0 %)."""
    probe_lands_replies: bool = False
    """A trial, off: the guard's format probe lands a reply as the agent would (``resolve``) before calling it a
    new action, so a reply that lands the failed file again (the function it dropped kept) or differs from it
    only in comments and layout is the failed action, and the update too weak (boatyard's sail_area). On 11
    touched tasks it solved as many (4 general fixes each way) with fewer updates accepted (8/16 against
    19/27): an update whose reply changes but lands the same file is a step to the next slice, and refused
    as too weak its repeats are skipped (docs/results.md, "A reply that lands the failed file again")."""
    allow_test_edits: bool = False
    """Let the agent edit test files. Off: such an edit is refused (the agent is told) and test files
    never reach the patch — a fix must make the tests pass, not change them."""
    stuck: StuckSettings = field(default_factory=StuckSettings)
    """When the loop counts as stuck."""


class Agent:
    """Runs tasks with one policy (one run at a time); the learner and memory are optional."""

    def __init__(
        self,
        policy: PolicyLike,
        sandboxes: SandboxFactory,
        settings: AgentSettings | None = None,
        *,
        memory: MemoryLike | None = None,
        learner: LearnerLike | None = None,
        learner_settings: LearnerSettings | None = None,
        adapters_dir: Path | None = None,
    ) -> None:
        self.policy = policy
        self.sandboxes = sandboxes
        self.settings = settings or AgentSettings()
        self.memory = memory
        self.adapters_dir = adapters_dir
        self.learner_settings = learner_settings
        self._learner = learner

    def start(self, task: Task, trajectory_path: Path | None = None, on_event: EventCallback | None = None,
              wait_for_policy: float = 0.0) -> RunHandle:
        """Start repairing ``task.repo`` on a worker thread; the repo itself is never written.

        ``PolicyBusy`` (here, at once) if another run holds the policy after ``wait_for_policy`` s.
        """
        self.policy.claim(f"a run on {task.repo}", wait_for_policy)

        def work(emit: Emit, control: Control) -> Outcome:
            try:
                return _Run(self, task, Trajectory(trajectory_path), emit, control).execute()
            finally:
                self.policy.release()

        try:
            return RunHandle(work, on_event)._start()
        except BaseException:
            self.policy.release()
            raise

    def run(self, task: Task, trajectory_path: Path | None = None, on_event: EventCallback | None = None) -> Outcome:
        """Start and wait. Ctrl-C cancels the run, waits for its cleanup, and raises ``KeyboardInterrupt``."""
        handle = self.start(task, trajectory_path, on_event)
        try:
            return handle.wait()
        except KeyboardInterrupt:
            handle.cancel()
            with contextlib.suppress(Exception):
                handle.wait()
            raise

    def learner(self) -> LearnerLike:
        if self._learner is None:
            from .learn import Learner

            self._learner = Learner(self.policy, self.learner_settings)  # type: ignore[arg-type]
        return self._learner


@dataclass
class _PhaseNote:
    detail: str = ""
    ok: bool = True


class _Run:
    """The state of one run (kept out of ``Agent`` so the agent can run many tasks)."""

    def __init__(self, agent: Agent, task: Task, trajectory: Trajectory, emit: Emit, control: Control) -> None:
        self.agent, self.task, self.emit, self.control = agent, task, emit, control
        self.settings = agent.settings
        self.records = Records(trajectory, agent.memory, task, agent.policy.loaded.name, self.settings.strategy)
        self.sandbox: Sandbox | None = None
        self.state = TurnState(task.goal, task.check, "", None)
        self.detector = StuckDetector(self.settings.stuck, greedy=self.settings.temperature == 0)
        self.ladder = Ladder(self.settings.strategy, self.settings.max_updates)
        self.started = time.perf_counter()
        self.paused = 0.0
        self.tokens = 0
        self.patch = ""
        self.best: tuple[int, str] | None = None
        """(failing tests, patch) of the best state so far, kept as the partial patch when not fixed."""
        self.dropped_test_edits: list[str] = []
        self.first_check: CheckResult | None = None
        self.last_check: CheckResult | None = None
        self.best_failures: int | None = None
        self.verdicts: list[dict[str, Any]] = []
        self.rungs: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.manager: list[dict[str, Any]] = []
        self.recalled: dict[str, Any] = {}
        self.routed_adapter = False
        self.format_probe = None
        self.start_file: tuple[str, str] | None = None
        """(path, text) of the file under repair as the run found it."""
        self.start_imports: dict[str, str] = {}
        """The repo files the start file imports, as the run found them (a constant may live there)."""

    # -- the life of a run -------------------------------------------------------------------------

    def execute(self) -> Outcome:
        task, settings = self.task, self.settings
        self.agent.policy.reset_adapter()  # every run starts from the base (memory may route an adapter)
        self.emit(ev.RunStarted(str(task.repo), task.goal, task.check, self.agent.policy.loaded.name,
                             settings.strategy, settings.max_steps, self.records.path))
        verified = False
        try:
            try:
                status, reason = self.in_sandbox()
                if status == "fixed":
                    verified = self.verify()
                    if not verified:
                        status = "not-fixed"
                        reason = "the check passed in the working sandbox but not when re-verified from a clean one"
            except Cancelled as cancelled:
                status, reason = "cancelled", str(cancelled)
        except BaseException:
            self.records.interrupted()
            raise
        outcome = self.outcome(status, reason, verified)
        self.records.finish(outcome.to_dict(), [r["reflection"] for r in self.rungs if r.get("reflection")])
        self.emit(ev.RunFinished(outcome.status, outcome.fixed, outcome.verified, outcome.reason, outcome.to_dict()))
        return outcome

    def in_sandbox(self) -> tuple[str, str]:
        """Start a sandbox, loop until done; the patch is kept and the sandbox removed, whatever happens."""
        with contextlib.ExitStack() as stack:
            prepare = getattr(self.agent.sandboxes, "prepare", None)
            if prepare is not None:
                with self.phase("setup", "installing the repo's dependencies (once; cached)") as note:
                    seconds = prepare(self.task.repo, self.task.setup)
                    note.detail = f"ready in {seconds:.0f} s" if seconds else "cached"
            with self.phase("sandbox", f"copying {self.task.repo} into a fresh sandbox"):
                self.sandbox = stack.enter_context(self.agent.sandboxes(self.task.repo))
                self.sandbox.apply_patch(self.task.patch)
            try:
                return self.loop()
            finally:
                with contextlib.suppress(SandboxError):
                    self.patch = self.diff()

    def loop(self) -> tuple[str, str]:
        check = self.first_check_and_state()
        if check.passed:
            return "already-passing", "the check already passes"
        while True:
            self.boundary()
            budget = self.budget_left()
            if budget:
                return "budget", budget
            step = self.turn()
            verdict = None if (step.check and step.check.passed) else self.inspect(step)
            self.records.append(step)
            if step.check is not None and step.check.passed:
                return "fixed", "the check passes"
            if verdict is not None and self.climb(step, verdict) == GIVE_UP:
                return "gave-up", f"stuck after {self.ladder.updates} update(s) without progress"
            if self.last_check is not None and self.last_check.passed:  # a sampled attempt passed
                return "fixed", "the check passes (a sampled attempt)"

    def first_check_and_state(self) -> CheckResult:
        task = self.task
        self.control.raise_if_cancelled()
        check = self.check(0)
        self.records.append(Step(0, action={"kind": "check", "text": task.check}, observation=check.output[-2000:],
                         check=check))
        self.first_check = self.last_check = check
        self.best_failures = check.n_failed
        files = read_repo(task.repo)
        failing_files = [f.test_id.split("::")[0] for f in check.failures]
        self.state.repo_map = build_repo_map(files, failing_files)
        self.state.focus = find_focus(files, check, task.check)
        self.start_file = (self.state.focus, files.get(self.state.focus, "")) if self.state.focus else None
        if self.state.focus:
            self.start_imports = {path: files[path] for path in imported_files(files, self.state.focus)}
        self.state.last_check = check
        self.recall(check)
        return check

    def budget_left(self) -> str:
        settings = self.settings
        if self.turns() >= settings.max_steps:
            return f"step budget of {settings.max_steps} reached"
        if time.perf_counter() - self.started - self.paused >= settings.max_seconds:
            return f"time budget of {settings.max_seconds:g} s reached"
        if self.tokens >= settings.max_tokens:
            return f"token budget of {settings.max_tokens} reached"
        return ""

    def turns(self) -> int:
        return sum(1 for s in self.records.steps if (s.output or s.error) and not s.rung)

    # -- the manager -----------------------------------------------------------------------------

    def boundary(self) -> None:
        """Between steps: honour cancel and pause, then act on what the manager said."""
        self.control.raise_if_cancelled()
        if self.control.pause_requested:
            index = len(self.records)
            self.emit(ev.Paused(index))
            began = time.perf_counter()
            try:
                self.control.wait_while_paused()
            finally:
                self.paused += time.perf_counter() - began
                self.emit(ev.Resumed(index))
        for message in self.control.take_messages():
            if message.kind == "interject":
                self.interjected(message.text)
            else:
                self.taught(message.text)
            self.control.raise_if_cancelled()

    def interjected(self, text: str) -> None:
        index = len(self.records)
        self.state.manager.append(text)
        self.manager.append({"kind": "interject", "text": text, "at_step": index})
        self.records.append(Step(index, rung="interject", manager=text))
        self.detector.after = index  # what repeats after new words is a new loop
        self.emit(ev.Interjected(index, text))

    def taught(self, text: str) -> None:
        index = len(self.records)
        self.manager.append({"kind": "teach", "text": text, "at_step": index})
        self.emit(ev.Taught(index, text))
        self.update("teach", taught_examples(text, self.state.focus or "the code"), said=text)
        self.detector.after = len(self.records) - 1

    # -- one turn --------------------------------------------------------------------------------

    def turn(self) -> Step:
        """One model turn: ask, parse (with format hints), act, check after edits."""
        state, settings = self.state, self.settings
        messages = self.prompt()
        hint, reply = None, ""
        for attempt in range(settings.format_retries + 1):
            asked = messages if hint is None else [*messages, {"role": "assistant", "content": reply},
                                                   {"role": "user", "content": hint}]
            index = len(self.records)
            began = time.perf_counter()
            reply, tokens = self.generate(asked, index, "action", max_new_tokens=settings.max_new_tokens,
                                          temperature=settings.temperature, seed=settings.seed + index,
                                          stop=[ACTION_STOP])
            try:
                action = self.resolve(parse_action(reply, state.focus))
            except (FormatError, FileNotFoundError, OSError) as error:
                hint = (str(error) if isinstance(error, FormatError) else f"{error}.") + " " + \
                    instruction(state.focus, edit=bool(state.region))
                step = Step(index, messages, reply, error=f"format: {hint}", seconds=time.perf_counter() - began,
                            tokens=tokens)
                self.emit(ev.FormatProblem(index, hint))
                if attempt == settings.format_retries or self.budget_left():
                    return step
                self.records.append(step)
                continue
            self.format_probe = action_probe(asked, reply, tokens, settings.max_new_tokens, state.focus,
                                             land=self._probe_landing())
            step = self.act(action, Step(index, messages, reply, action.to_dict(), tokens=tokens))
            step.seconds = time.perf_counter() - began
            return step
        raise AssertionError("unreachable")

    def resolve(self, action: Action) -> Action:
        """An action as it lands on the file: an EDIT applied, a code block for a long file shown as a
        region spliced in (its definitions replace those of the same name), a whole new Python file with
        the constants it drops kept, and the start file's functions and classes it drops; a module that is
        not a test file without the test functions the model wrote into it."""
        reads = action.kind == "edit" or action.kind == "write" and (
            action.path.endswith(".py") or bool(action.bare and self.state.region))
        if not reads:
            return action
        current = _read_existing(self.sandbox, action.path)  # read once: every step below works on it
        landed = self.landed(action, current)
        if not current or not self.settings.drop_stray_tests or not landed.path.endswith(".py") \
                or is_test_file(landed.path):
            return landed
        text = without_stray_tests(current, landed.text)
        return replace(landed, text=text) if text != landed.text else landed

    def landed(self, action: Action, current: str | None) -> Action:
        """A write or edit applied to ``current``, the file as it is now (None: there is none)."""
        if action.kind == "edit":
            return Action("write", action.path, apply_edits(current or "", action.edits, action.path), action.edits)
        if action.bare and self.state.region:
            spliced = splice_definitions(current or "", action.text)
            if spliced is None:
                raise FormatError(f"The code block redefines nothing of {action.path}: write the fixed functions "
                                  "or constants with their names.")
            return Action("write", action.path, spliced, bare=True)
        if action.path.endswith(".py") and current:
            # a whole new file keeps the constants it drops (repomap.with_dropped_constants)
            text = with_dropped_constants(current, action.text)
            if self.start_file and self.start_file[0] == action.path:  # and the start file's functions
                text = with_dropped_definitions(self.start_file[1], text)
            return Action("write", action.path, text, bare=action.bare)
        return action

    def prompt(self) -> list[dict[str, str]]:
        """The next turn's messages, with the file under repair as it is now (a long one as the region the
        failure points at)."""
        state = self.state
        if state.focus:
            state.focus_text = _read(self.sandbox, state.focus)
            state.region = None
            if self.start_file and len(self.start_file[1].splitlines()) > LARGE_FILE_LINES:
                # Long from the start, a region stays (a broken file's errors point at no function).
                failures = [*(state.last_check.failures if state.last_check else []), *self.first_check.failures]
                state.region = failure_region(state.focus_text, *pointed_at(failures, state.focus)) or \
                    failure_region(self.start_file[1], *pointed_at(self.first_check.failures, state.focus))
        return build_messages(state)

    def generate(self, messages: list[dict[str, str]], index: int, purpose: str, **options: Any) -> tuple[str, int]:
        """The policy's reply, streamed as events; (text, tokens)."""
        policy = self.agent.policy
        self.emit(ev.GenerationStarted(index, purpose))
        began, text, tokens, cancelled = time.perf_counter(), "", 0, False
        try:
            text = policy.generate(messages, on_text=lambda chunk: self.emit(ev.TextChunk(index, chunk)),
                                   cancel=self.control.cancel_event, **options)
            tokens = len(policy.encode(text))
            self.tokens += tokens
            return text, tokens
        except Cancelled:
            cancelled = True
            raise
        finally:
            self.emit(ev.GenerationFinished(index, purpose, text, tokens, round(time.perf_counter() - began, 3),
                                         cancelled))

    def act(self, action: Action, step: Step) -> Step:
        sandbox, state = self.sandbox, self.state
        self.emit(ev.ActionTaken(step.index, action.kind, action.summary(), action.path, action.text))
        if action.kind == "run":
            result = sandbox.run(action.text, timeout=self.settings.run_timeout, cancel=self.control.cancel_event)
            if result.cancelled:
                raise Cancelled("a command was running")
            step.observation, step.exit_code = result.output, result.exit_code
            state.last_run = (action.text, result.output + ("\n[timed out]" if result.timed_out else ""))
            self.emit(ev.Observation(step.index, result.exit_code, result.output, result.timed_out))
            return step
        if action.changes_files and not self.settings.allow_test_edits and is_test_file(action.path):
            step.error = step.observation = (f"Refused: {action.path} is a test file, and test files may not be "
                                             "edited here. Change the code under test so that the tests pass.")
            state.last_run = (f"(write {action.path})", step.observation)
            return step
        previous, before = state.last_check, _read_existing(sandbox, action.path) if action.changes_files else None
        if self.settings.skip_comment_only_edits and previous is not None and before is not None \
                and action.path.endswith(".py") and same_code(before, action.text):
            return self.skip(action.path, previous, step)
        if action.changes_files:
            try:
                sandbox.write_file(action.path, action.text)
            except Exception as error:  # noqa: BLE001 - a bad path is the model's mistake, shown to it
                step.error = step.observation = f"could not write {action.path}: {error}"
                state.last_run = (f"(write {action.path})", step.observation)
                return step
            state.attempts += 1
            if state.focus is None:
                state.focus = action.path
        step.check = self.check(step.index)
        step.observation = step.check.output[-2000:]
        since_start = new_breakage(self.first_check, step.check) if self.first_check else None
        step.broke = _said(since_start) if since_start is not None else None  # for the learner, undone or not
        undo = self.settings.undo_breaking_edits and before is not None
        broke = new_breakage(previous, step.check) if undo and previous else None
        if broke is not None:
            return self.undo(action.path, before, broke, step)
        self.last_check = state.last_check = step.check
        state.last_run = None
        if action.kind == "finish" and not step.check.passed:
            state.notes.append("You said FINISH, but the check still fails.")
        if step.check.n_failed < (self.best_failures or 0) or step.check.passed:
            self.best_failures = step.check.n_failed
            self.ladder.progress()
        if step.check.n_failed < (self.best[0] if self.best else self.first_check.n_failed):
            self.best = (step.check.n_failed, self.diff())
        return step

    def skip(self, path: str, previous: CheckResult, step: Step) -> Step:
        """Leave ``path`` as it is where an edit changes only its comments or layout: the code, and so the
        check, would be the same; the step keeps the check it had, and the model is told."""
        step.check, step.observation = previous, previous.output[-2000:]
        self.state.attempts += 1
        self.state.last_run = None
        self.state.notes.append(f"Your edit of {path} changed only comments or layout, so it was not kept: the "
                                "code is the same and the check fails as before. Change the code itself.")
        self.emit(ev.EditSkipped(step.index, path))
        return step

    def undo(self, path: str, before: str, broke: Failure, step: Step) -> Step:
        """Put ``path`` back as it was before an edit that broke the code; the next prompt shows the file
        and the failure as they were, and says why."""
        self.sandbox.write_file(path, before)
        step.undone = _said(broke)
        self.state.notes.append(f"Your edit of {path} was undone: it broke the code ({step.undone}). {path} is "
                                "back as it was; keep the names the tests import.")
        self.emit(ev.EditUndone(step.index, path, step.undone))
        return step

    def diff(self) -> str:
        """The sandbox's changes — without test files unless they may be edited (a bash command can
        still touch them; the patch never carries that)."""
        patch = self.sandbox.diff()
        if self.settings.allow_test_edits:
            return patch
        patch, dropped = without_files(patch, is_test_file)
        self.dropped_test_edits = sorted(set(self.dropped_test_edits) | set(dropped))
        return patch

    def check(self, index: int) -> CheckResult:
        """Run the task's check, between its started and finished events."""
        self.emit(ev.CheckStarted(index, self.task.check))
        began, result, cancelled = time.perf_counter(), None, False
        try:
            result = run_check(self.sandbox, self.task.check, self.settings.check_timeout, self.control.cancel_event)
            return result
        except Cancelled:
            cancelled = True
            raise
        finally:
            self.emit(ev.CheckFinished.of(index, result, time.perf_counter() - began, cancelled))

    # -- being stuck -------------------------------------------------------------------------------

    def inspect(self, step: Step) -> Verdict | None:
        """Look for a loop in the trajectory ending with ``step``; the verdict is kept on the step."""
        acting = [s for s in [*self.records.steps, step] if not s.rung]
        verdict = self.detector.inspect(acting)
        if verdict is not None:
            step.verdict = verdict.to_dict()
            self.verdicts.append({**verdict.to_dict(), "at_step": step.index})
            self.emit(ev.StuckVerdict(step.index, verdict.kind, verdict.since_step, verdict.evidence))
        return verdict

    def climb(self, step: Step, verdict: Verdict) -> str:
        """One rung of the ladder for ``verdict``."""
        rung = self.ladder.next_rung()
        if self.routed_adapter and rung != NONE:
            # The archived adapter did not get us through: route back to the base model.
            self.agent.policy.reset_adapter()
            self.routed_adapter = False
            rung = "route-to-base"
        record: dict[str, Any] = {"rung": rung, "at_step": step.index, "verdict": verdict.kind, "turn": self.turns()}
        if rung == NUDGE:
            self.state.notes.append(nudge(verdict.evidence))
        elif rung == REFLECT:
            record["reflection"] = self.reflect()
        elif rung == LEARN:
            record["update"] = self.learn(verdict)
        elif rung == SAMPLE:
            record["sample"] = self.sample()
        self.rungs.append(record)
        self.emit(ev.RungTaken(step.index, rung, verdict.kind, record.get("reflection", "")))
        return rung

    def sample(self) -> dict[str, Any]:
        """The ``sample`` strategy's rung: instead of an update, sampled attempts (fresh seeds), each
        checked, for the wall-clock an update would take; a failing one is undone, a passing one kept."""
        settings, sandbox = self.settings, self.sandbox
        began, attempts = time.perf_counter(), 0
        messages = self.prompt()
        while time.perf_counter() - began < settings.sample_seconds:
            index = len(self.records)
            reply, tokens = self.generate(messages, index, "sample", max_new_tokens=settings.max_new_tokens,
                                          temperature=settings.sample_temperature, seed=settings.seed + 7919 * index,
                                          stop=[ACTION_STOP])
            attempts += 1
            step = Step(index, messages, reply, rung=SAMPLE, tokens=tokens)
            try:
                action = self.resolve(parse_action(reply, self.state.focus))
            except (FormatError, OSError) as error:
                step.error = f"format: {error}"
                self.records.append(step)
                continue
            if not action.changes_files or (is_test_file(action.path) and not settings.allow_test_edits):
                self.records.append(step)
                continue
            before = _read(sandbox, action.path)
            sandbox.write_file(action.path, action.text)
            step.action, step.check = action.to_dict(), self.check(index)
            self.records.append(step)
            if step.check.passed:
                self.last_check = self.state.last_check = step.check
                break
            sandbox.write_file(action.path, before)
        return {"attempts": attempts, "seconds": round(time.perf_counter() - began, 2),
                "fixed": bool(self.last_check and self.last_check.passed)}

    def reflect(self) -> str:
        index = len(self.records)
        text, _ = self.generate(reflection_request(build_messages(self.state)), index, "reflection",
                                max_new_tokens=80)
        text = text.strip()
        self.state.notes.append(f"Your reflection: {text}")
        self.records.append(Step(index, build_messages(self.state), text, rung=REFLECT))
        return text

    def learn(self, verdict: Verdict) -> dict[str, Any]:
        """A guarded LoRA update on the slice the verdict points at."""
        slice_ = stuck_slice(self.records.steps, verdict.since_step)
        if self.settings.learn_on_next_prompt:
            upcoming = self.prompt()
            slice_ = on_next_prompt(slice_, upcoming)
            if self.format_probe is not None:
                self.format_probe = replace(self.format_probe, messages=upcoming)
        settings = self.agent.learner().settings
        start_truths = collect_truths(self.first_check.failures) if self.first_check else None
        examples = build_examples(slice_, self.replay_examples(), settings.negative_weight, start=self.start_file,
                                  localise_failed_action=settings.localise_failed_action, start_truths=start_truths,
                                  imports=self.start_imports, drop_stray_tests=self.settings.drop_stray_tests,
                                  hunks=settings.corrected_hunks)
        data = self.update("stuck", examples)
        return {k: data[k] for k in ("accepted", "reason", "kl", "steps", "seconds")}

    def update(self, source: str, examples: ExampleSet, said: str | None = None) -> dict[str, Any]:
        """A guarded update on ``examples`` (a verdict's slice, or the manager's statement), reported
        between its started and finished events, archived in memory when accepted."""
        agent = self.agent
        learner = agent.learner()
        learner.format_probe = self.probe()
        index, total = len(self.records), learner.settings.steps
        self.emit(ev.LearningStarted(index, source, total, [t.statement for t in examples.truths]))
        report = None
        try:
            report = learner.update([], examples=examples, source=source, cancel=self.control.cancel_event,
                                    on_step=lambda s, loss, kl: self.emit(ev.LearningStep(index, s, total, loss, kl)))
        finally:
            if report is None:
                self.emit(ev.LearningFinished(index, source, False, "the learner failed"))
        data = report.to_dict()
        if report.accepted and agent.adapters_dir:
            label = f"episode-{self.records.episode}-" if self.records.episode is not None else ""
            folder = agent.adapters_dir / f"{label}update-{len(self.updates) + 1}"
            data["adapter_path"] = str(agent.policy.save_adapter(folder))
        if not report.cancelled:
            self.records.adapter(data.get("adapter_path"), report.accepted, {
                "kl": report.kl, "reason": report.reason, "steps": report.steps, "source": source,
                "fingerprint_at_update": self.records.steps[-1].fingerprint})
        self.updates.append(data)
        self.records.append(Step(index, rung=LEARN if source == "stuck" else "teach", update=data, manager=said))
        self.emit(ev.LearningFinished(index, source, report.accepted, report.reason, round(report.seconds, 2),
                                   report.steps, report.kl, report.loss_before, report.loss_after,
                                   data.get("adapter_path"), report.cancelled, data))
        if report.cancelled:
            raise Cancelled("learning")
        return data

    def probe(self) -> FormatProbe | None:
        """The guard's format probe: the last prompt that gave a valid action — or, before the first
        action (a ``teach`` at the start), the base model's own action on the current prompt."""
        if self.format_probe is None:
            messages, settings, policy = self.prompt(), self.settings, self.agent.policy
            with policy.base():
                reply = policy.generate(messages, max_new_tokens=settings.max_new_tokens, stop=[ACTION_STOP],
                                        cancel=self.control.cancel_event)
            with contextlib.suppress(FormatError):
                self.format_probe = action_probe(messages, reply, len(policy.encode(reply)), settings.max_new_tokens,
                                                 self.state.focus, land=self._probe_landing())
        return self.format_probe

    def _probe_landing(self) -> Callable[[Action], Action] | None:
        return self.resolve if self.settings.probe_lands_replies else None

    def replay_examples(self) -> list[Example] | None:
        return [Example(messages, target, "replay") for messages, target in self.records.replay()] or None

    # -- the end ---------------------------------------------------------------------------------

    def verify(self) -> bool:
        with self.phase("verify", "applying the patch to a fresh sandbox and running the check") as note:
            verified = verify(self.task, self.patch, self.agent.sandboxes, self.settings.check_timeout,
                              self.control.cancel_event)
            note.detail = "the check passes" if verified else "the check fails"
        return verified

    @contextlib.contextmanager
    def phase(self, name: str, detail: str = "") -> Iterator[_PhaseNote]:
        """A coarse phase between its started and finished events (finished also on failure)."""
        self.emit(ev.PhaseStarted(name, detail))
        began, note = time.perf_counter(), _PhaseNote()
        try:
            yield note
        except BaseException as error:
            note.ok, note.detail = False, "cancelled" if isinstance(error, Cancelled) else first_line(error)
            raise
        finally:
            self.emit(ev.PhaseFinished(name, note.ok, note.detail, round(time.perf_counter() - began, 3)))

    # -- records ---------------------------------------------------------------------------------

    def recall(self, check: CheckResult) -> None:
        """Lessons and earlier attempts into the prompt; an archived adapter for this failure, if any."""
        recall = self.records.recall(check.fingerprint)
        if recall is None:
            return
        self.recalled = {"lessons": recall.lessons, "episodes": recall.episodes,
                         "adapter": recall.adapter["id"] if recall.adapter else None}
        self.state.notes.extend(recall_notes(recall.lessons, len(recall.failed_actions)))
        if recall.adapter and self.settings.strategy == "learn":
            self.agent.policy.load_adapter(recall.adapter["path"])
            self.routed_adapter = True

    def outcome(self, status: str, reason: str, verified: bool) -> Outcome:
        fixed = status == "already-passing" or (status == "fixed" and verified)
        return Outcome(
            status=status, fixed=fixed, verified=verified, steps=len(self.records),
            seconds=round(time.perf_counter() - self.started, 2), tokens=self.tokens,
            patch=self.patch,
            start_failures=self.first_check.n_failed if self.first_check else None,
            end_failures=self.last_check.n_failed if self.last_check else None,
            verdicts=self.verdicts, rungs=self.rungs, updates=self.updates, recalled=self.recalled,
            trajectory=self.records.path, episode=self.records.episode,
            reason=reason, turns=self.turns(), manager=self.manager,
            best_patch=self.best[1] if self.best else "", best_failures=self.best[0] if self.best else None,
            dropped_test_edits=self.dropped_test_edits,
        )


def verify(task: Task, patch: str, sandboxes: SandboxFactory, timeout: float,
           cancel: threading.Event | None = None, files: dict[str, str] | None = None) -> bool:
    """Apply ``patch`` to a fresh sandbox of the repo, write ``files`` (a check of its own the patch
    must pass, say) and run the check there."""
    with sandboxes(task.repo) as sandbox:
        try:
            sandbox.apply_patch(patch)
        except PatchError:
            return False
        for path, text in (files or {}).items():
            sandbox.write_file(path, text)
        return run_check(sandbox, task.check, timeout, cancel).passed


def _said(failure: Failure) -> str:
    """A failure in one line that names its exception."""
    said = (failure.message.strip().splitlines() or [failure.test_id])[0]
    return said if said.startswith(failure.exc_type) else f"{failure.exc_type}: {said}"


def _read(sandbox: Sandbox, path: str) -> str:
    return _read_existing(sandbox, path) or ""


def _read_existing(sandbox: Sandbox, path: str) -> str | None:
    try:
        return sandbox.read_file(path)
    except FileNotFoundError:
        return None
