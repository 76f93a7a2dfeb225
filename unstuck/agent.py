"""The agent loop: act in the sandbox, check, notice when stuck, climb the ladder, until fixed.

```
repeat until the check passes or a budget ends:
    policy → reply → Action           (a bad reply gets a format hint, out of the context)
    sandbox runs it                    (after an edit: the check)
    trajectory.append(step)            (on disk every step)
    detector → verdict → ladder rung   (nudge · reflect · learn · give up)
```
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sandbox import Sandbox
from sandbox.snapshot import repo_files

from .actions import Action, FormatError, apply_edits, parse_action
from .checks import DEFAULT_CHECK, run_check
from .ladder import GIVE_UP, LEARN, NONE, NUDGE, REFLECT, Ladder
from .learn.guard import FormatProbe
from .prompts import TurnState, build_messages, instruction, nudge, reflection_request
from .repomap import build_repo_map, imported_files
from .stuck import StuckDetector, StuckSettings, Verdict
from .trajectory import CheckResult, Failure, Step, Trajectory

SandboxFactory = Callable[[Path], AbstractContextManager[Sandbox]]
MAX_MAP_FILE_BYTES = 100_000
ACTION_STOP = "\n```\n"  # a reply ends when its code block closes


@dataclass
class Task:
    """A repo, what to achieve, and the shell command that says whether it is achieved."""

    repo: Path
    goal: str = "Make the failing tests pass."
    check: str = DEFAULT_CHECK


@dataclass
class AgentSettings:
    """Budgets and behaviour of one run."""

    strategy: str = "learn"
    """``learn`` (full ladder), ``reflect`` (no weight updates) or ``retry`` (no ladder)."""
    max_steps: int = 12
    """Model turns (format retries included)."""
    max_seconds: float = 1800.0
    """Wall-clock budget for the whole run."""
    max_tokens: int = 20_000
    """Tokens the model may generate in the whole run."""
    max_new_tokens: int = 320
    """Tokens per reply."""
    max_updates: int = 2
    """LoRA updates before giving up (``learn``)."""
    format_retries: int = 2
    """Re-asks after an unparsable reply before the turn counts as wasted."""
    temperature: float = 0.0
    seed: int = 0
    check_timeout: float = 300.0
    run_timeout: float = 60.0
    stuck: StuckSettings = field(default_factory=StuckSettings)


@dataclass
class Event:
    """Something the live views show: a step, a verdict, an update, the end."""

    kind: str
    data: dict[str, Any]


@dataclass
class Outcome:
    """How a run ended; ``to_dict`` is the JSON report."""

    status: str
    """``fixed``, ``already-passing``, ``not-fixed``, ``gave-up`` or ``budget``."""
    fixed: bool
    verified: bool
    steps: int
    """Trajectory steps: the first check, model turns, format retries, ladder rungs."""
    seconds: float
    tokens: int
    patch: str
    start_failures: int
    end_failures: int
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    rungs: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    recalled: dict[str, Any] = field(default_factory=dict)
    trajectory: str | None = None
    episode: int | None = None
    reason: str = ""
    turns: int = 0
    """Model turns used (what ``max_steps`` counts): a fix within a smaller step budget is a fix there too."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Agent:
    """Runs tasks with one policy; the learner and memory are optional."""

    def __init__(
        self,
        policy: Any,
        sandbox_factory: SandboxFactory,
        settings: AgentSettings | None = None,
        memory: Any = None,
        adapters_dir: Path | None = None,
        on_event: Callable[[Event], None] | None = None,
        learner_settings: Any = None,
    ) -> None:
        self.policy = policy
        self.sandbox_factory = sandbox_factory
        self.settings = settings or AgentSettings()
        self.memory = memory
        self.adapters_dir = adapters_dir
        self.on_event = on_event or (lambda event: None)
        self.learner_settings = learner_settings
        self._learner = None

    def emit(self, kind: str, **data: Any) -> None:
        self.on_event(Event(kind, data))

    # -- the run ---------------------------------------------------------------------------------

    def run(self, task: Task, trajectory_path: Path | None = None) -> Outcome:
        """Repair ``task.repo`` in a sandbox; the repo itself is never written."""
        run = _Run(self, task, Trajectory(trajectory_path))
        with self.sandbox_factory(task.repo) as sandbox:
            run.sandbox = sandbox
            try:
                outcome = run.loop()
            except BaseException:
                run.close_episode()
                raise
        if outcome.fixed:
            with self._phase("verifying the patch in a fresh sandbox"):
                outcome.verified = verify(task, outcome.patch, self.sandbox_factory, self.settings.check_timeout)
            if not outcome.verified:
                outcome.fixed, outcome.status = False, "not-fixed"
                outcome.reason = "the check passed in the working sandbox but not when re-verified from a clean one"
        run.remember(outcome)
        self.emit("done", outcome=outcome)
        return outcome

    @contextmanager
    def _phase(self, what: str) -> Iterator[None]:
        self.emit("phase", text=what)
        yield

    def learner(self):
        if self._learner is None:
            from .learn import Learner

            self._learner = Learner(self.policy, self.learner_settings)
        return self._learner


class _Run:
    """The state of one run (kept out of ``Agent`` so the agent can run many tasks)."""

    def __init__(self, agent: Agent, task: Task, trajectory: Trajectory) -> None:
        self.agent, self.task, self.trajectory = agent, task, trajectory
        self.settings = agent.settings
        self.sandbox: Sandbox | None = None
        self.detector = StuckDetector(self.settings.stuck)
        self.ladder = Ladder(self.settings.strategy, self.settings.max_updates)
        self.started = time.perf_counter()
        self.tokens = 0
        self.verdicts: list[dict[str, Any]] = []
        self.rungs: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.recalled: dict[str, Any] = {}
        self.episode: int | None = None
        self.best_failures: int | None = None
        self.routed_adapter = False
        self.format_probe: FormatProbe | None = None

    # -- setup -----------------------------------------------------------------------------------

    def start(self) -> tuple[TurnState, CheckResult]:
        agent, task = self.agent, self.task
        with agent._phase("running the check"):
            check = run_check(self.sandbox, task.check, self.settings.check_timeout)
        self.append(Step(0, action={"kind": "check", "text": task.check}, observation=check.output[-2000:],
                         check=check))
        self.best_failures = check.n_failed
        agent.emit("check", step=0, check=check)
        files = read_repo(task.repo)
        focus = find_focus(files, check)
        first = [f.test_id.split("::")[0] for f in check.failures]
        state = TurnState(task.goal, task.check, build_repo_map(files, first), focus, last_check=check)
        self.recall(state, check)
        return state, check

    def recall(self, state: TurnState, check: CheckResult) -> None:
        memory, agent = self.agent.memory, self.agent
        if memory is None:
            return
        model = agent.policy.loaded.name
        recall = memory.recall(str(self.task.repo), check.fingerprint, model)
        self.recalled = {"lessons": recall.lessons, "episodes": recall.episodes,
                         "adapter": recall.adapter["id"] if recall.adapter else None}
        for lesson in recall.lessons:
            state.notes.append(f"Lesson from an earlier run on this repo: {lesson}")
        if recall.failed_actions:
            state.notes.append(f"Earlier runs made {len(recall.failed_actions)} edit(s) that did not fix this failure.")
        if recall.adapter and self.settings.strategy == "learn":
            agent.policy.load_adapter(recall.adapter["path"])
            self.routed_adapter = True
        self.episode = memory.start_episode(str(self.task.repo), self.task.goal, self.task.check, model,
                                            self.settings.strategy, check.fingerprint,
                                            str(self.trajectory.path) if self.trajectory.path else None)
        agent.emit("recall", **self.recalled)

    # -- the loop --------------------------------------------------------------------------------

    def loop(self) -> Outcome:
        state, check = self.start()
        if check.passed:
            return self.outcome("already-passing", check, check, "the check already passes")
        last = check
        status, reason = "budget", ""
        while True:
            budget = self.budget_left()
            if budget:
                reason = budget
                break
            step = self.turn(state)
            verdict = None if (step.check and step.check.passed) else self.inspect(step)
            self.append(step)
            if step.check is not None:
                last = step.check
                if last.passed:
                    status, reason = "fixed", "the check passes"
                    break
            if verdict is None:
                continue
            rung = self.climb(state, step, verdict)
            if rung == GIVE_UP:
                status, reason = "gave-up", f"stuck after {self.ladder.updates} update(s) without progress"
                break
        return self.outcome(status, check, last, reason)

    def budget_left(self) -> str:
        settings = self.settings
        if self.turns() >= settings.max_steps:
            return f"step budget of {settings.max_steps} reached"
        if time.perf_counter() - self.started >= settings.max_seconds:
            return f"time budget of {settings.max_seconds:g} s reached"
        if self.tokens >= settings.max_tokens:
            return f"token budget of {settings.max_tokens} reached"
        return ""

    def turns(self) -> int:
        return sum(1 for s in self.trajectory.steps if (s.output or s.error) and not s.rung)

    def turn(self, state: TurnState) -> Step:
        """One model turn: ask, parse (with format hints), act, check after edits."""
        agent, policy, settings = self.agent, self.agent.policy, self.settings
        if state.focus:
            state.focus_text = _read(self.sandbox, state.focus)
        messages = build_messages(state)
        hint, reply = None, ""
        for attempt in range(settings.format_retries + 1):
            asked = messages if hint is None else [*messages, {"role": "assistant", "content": reply},
                                                   {"role": "user", "content": hint}]
            index = len(self.trajectory)
            agent.emit("thinking", step=index)
            began = time.perf_counter()
            reply = policy.generate(asked, max_new_tokens=settings.max_new_tokens, temperature=settings.temperature,
                                    seed=settings.seed + index, stop=[ACTION_STOP],
                                    on_text=lambda text, i=index: agent.emit("text", step=i, text=text))
            tokens = len(policy.encode(reply))
            self.tokens += tokens
            try:
                action = parse_action(reply, state.focus)
                if action.kind == "edit":
                    action = Action("write", action.path, apply_edits(_read(self.sandbox, action.path), action.edits,
                                                                      action.path), action.edits)
            except (FormatError, FileNotFoundError, OSError) as error:
                hint = (str(error) if isinstance(error, FormatError) else f"{error}.") + " " + instruction(state.focus)
                step = Step(index, messages, reply, error=f"format: {hint}", seconds=time.perf_counter() - began,
                            tokens=tokens)
                agent.emit("format", step=index, hint=hint)
                if attempt == settings.format_retries or self.budget_left():
                    return step
                self.append(step)
                continue
            self.format_probe = action_probe(asked, reply, tokens, settings.max_new_tokens, state.focus)
            step = self.act(action, Step(index, messages, reply, action.to_dict(), tokens=tokens), state)
            step.seconds = time.perf_counter() - began
            return step
        raise AssertionError("unreachable")

    def act(self, action: Action, step: Step, state: TurnState) -> Step:
        agent, sandbox = self.agent, self.sandbox
        agent.emit("action", step=step.index, action=action)
        if action.kind == "run":
            result = sandbox.run(action.text, timeout=self.settings.run_timeout)
            step.observation, step.exit_code = result.output, result.exit_code
            state.last_run = (action.text, result.output + ("\n[timed out]" if result.timed_out else ""))
            agent.emit("observation", step=step.index, exit_code=result.exit_code, output=result.output)
            return step
        if action.changes_files:
            try:
                sandbox.write_file(action.path, action.text)
            except Exception as error:  # noqa: BLE001 - a bad path is the model's mistake, shown to it
                step.error = step.observation = f"could not write {action.path}: {error}"
                state.last_run = (f"(write {action.path})", step.observation)
                return step
            state.attempts += 1
            if action.path != state.focus and state.focus is None:
                state.focus = action.path
        step.check = run_check(sandbox, self.task.check, self.settings.check_timeout)
        step.observation = step.check.output[-2000:]
        state.last_check, state.last_run = step.check, None
        if action.kind == "finish" and not step.check.passed:
            state.notes.append("You said FINISH, but the check still fails.")
        agent.emit("check", step=step.index, check=step.check)
        if step.check.n_failed < (self.best_failures or 0) or step.check.passed:
            self.best_failures = step.check.n_failed
            self.ladder.progress()
        return step

    def inspect(self, step: Step) -> Verdict | None:
        """Look for a loop in the trajectory ending with ``step``; the verdict is kept on the step."""
        acting = [s for s in [*self.trajectory.steps, step] if not s.rung]
        verdict = self.detector.inspect(acting)
        if verdict is not None:
            step.verdict = verdict.to_dict()
            self.verdicts.append({**verdict.to_dict(), "at_step": step.index})
            self.agent.emit("verdict", verdict=verdict)
        return verdict

    def climb(self, state: TurnState, step: Step, verdict: Verdict) -> str:
        """One rung of the ladder for ``verdict``."""
        rung = self.ladder.next_rung()
        if self.routed_adapter and rung != NONE:
            # The archived adapter did not get us through: route back to the base model.
            self.agent.policy.reset_adapter()
            self.routed_adapter = False
            rung = "route-to-base"
        record: dict[str, Any] = {"rung": rung, "at_step": step.index, "verdict": verdict.kind}
        if rung == NUDGE:
            state.notes.append(nudge(verdict.evidence))
        elif rung == REFLECT:
            record["reflection"] = self.reflect(state)
        elif rung == LEARN:
            record["update"] = self.learn(verdict)
        self.rungs.append(record)
        self.agent.emit("rung", **record)
        return rung

    def reflect(self, state: TurnState) -> str:
        policy = self.agent.policy
        self.agent.emit("thinking", step=len(self.trajectory), what="reflecting")
        text = policy.generate(reflection_request(build_messages(state)), max_new_tokens=80).strip()
        self.tokens += len(policy.encode(text))
        state.notes.append(f"Your reflection: {text}")
        self.append(Step(len(self.trajectory), build_messages(state), text, rung=REFLECT))
        return text

    def learn(self, verdict: Verdict) -> dict[str, Any]:
        """A guarded LoRA update on the slice the verdict points at."""
        agent = self.agent
        learner = agent.learner()
        learner.format_probe = self.format_probe
        slice_ = stuck_slice(self.trajectory.steps, verdict.since_step)
        replay = self.replay_examples()
        agent.emit("learning", total=learner.settings.steps)
        report = learner.update(slice_, replay=replay,
                                on_step=lambda s, loss, kl: agent.emit("learn-step", step=s, loss=loss, kl=kl))
        data = report.to_dict()
        if report.accepted and agent.adapters_dir:
            label = f"episode-{self.episode}-" if self.episode is not None else ""
            folder = agent.adapters_dir / f"{label}update-{len(self.updates) + 1}"
            data["adapter_path"] = str(agent.policy.save_adapter(folder))
        if agent.memory is not None and self.episode is not None:
            fingerprint = self.trajectory.steps[-1].fingerprint
            agent.memory.add_adapter(self.episode, str(self.task.repo), self.first_fingerprint(),
                                     agent.policy.loaded.name, data.get("adapter_path"), report.accepted,
                                     {"kl": report.kl, "reason": report.reason, "steps": report.steps,
                                      "fingerprint_at_update": fingerprint})
        self.updates.append(data)
        agent.emit("update", report=report)
        self.append(Step(len(self.trajectory), rung=LEARN, update=data))
        return {k: data[k] for k in ("accepted", "reason", "kl", "steps", "seconds")}

    def replay_examples(self):
        memory = self.agent.memory
        if memory is None:
            return None
        from .learn.examples import Example

        return [Example(messages, target, "replay") for messages, target in memory.replay()] or None

    # -- records ---------------------------------------------------------------------------------

    def append(self, step: Step) -> None:
        """Write the step to the trajectory file and to memory (each is on disk when this returns)."""
        self.trajectory.append(step)
        memory = self.agent.memory
        if memory is not None and self.episode is not None:
            action = step.action or {}
            text = f"{action.get('kind', '')} {action.get('path', '')}\n{action.get('text', '')}" if action else None
            memory.record_step(self.episode, step.index, text, step.fingerprint,
                               step.check.n_failed if step.check else None,
                               step.verdict["kind"] if step.verdict else None)

    def first_fingerprint(self) -> str | None:
        return self.trajectory.steps[0].fingerprint if self.trajectory.steps else None

    def outcome(self, status: str, first: CheckResult, last: CheckResult, reason: str) -> Outcome:
        fixed = status in ("fixed", "already-passing")
        return Outcome(
            status=status, fixed=fixed, verified=False, steps=len(self.trajectory),
            seconds=round(time.perf_counter() - self.started, 2), tokens=self.tokens,
            patch=self.sandbox.diff() if status != "already-passing" else "",
            start_failures=first.n_failed, end_failures=last.n_failed, verdicts=self.verdicts, rungs=self.rungs,
            updates=self.updates, recalled=self.recalled,
            trajectory=str(self.trajectory.path) if self.trajectory.path else None, episode=self.episode,
            reason=reason, turns=self.turns(),
        )

    def close_episode(self) -> None:
        """Mark an episode that ended without an outcome (an exception, Ctrl-C) as interrupted."""
        memory = self.agent.memory
        if memory is not None and self.episode is not None:
            memory.finish_episode(self.episode, "interrupted", {})

    def remember(self, outcome: Outcome) -> None:
        """Record how the episode ended; a verified fix also leaves a success and a lesson."""
        memory = self.agent.memory
        if memory is None or self.episode is None:
            return
        memory.finish_episode(self.episode, outcome.status, {
            k: v for k, v in outcome.to_dict().items() if k not in ("patch", "rungs", "updates")})
        if outcome.fixed and outcome.status == "fixed":
            last = next(s for s in reversed(self.trajectory.steps) if s.check is not None)
            memory.add_success(self.episode, str(self.task.repo), last.messages, last.output)
            reflections = [r["reflection"] for r in self.rungs if r.get("reflection")]
            if reflections:
                memory.add_lesson(self.episode, str(self.task.repo), self.first_fingerprint(), reflections[-1])


def stuck_slice(steps: list[Step], since_step: int) -> list[Step]:
    """The steps a verdict points at, for the learner — with, when none of their checks reveals an
    expected value (e.g. every attempt broke the module: a SyntaxError, an ImportError), the last
    earlier check that revealed one (else any fact), as context only."""
    from .learn.examples import failures_in
    from .learn.truths import collect_truths

    def reveals(failures: list[Failure], value: bool) -> bool:
        truths = collect_truths(failures)
        return any(t.expected for t in truths) if value else bool(truths)

    slice_ = [s for s in steps if s.index >= since_step and not s.rung]
    for value in (True, False):
        if reveals(failures_in(slice_), value):
            break
        earlier = [s for s in steps if s.index < since_step and s.check and reveals(s.check.failures, value)]
        if earlier:
            slice_.insert(0, Step(earlier[-1].index, check=earlier[-1].check))
            break
    return slice_


def verify(task: Task, patch: str, sandbox_factory: SandboxFactory, timeout: float) -> bool:
    """Apply ``patch`` to a fresh sandbox of the repo and run the check there."""
    with sandbox_factory(task.repo) as sandbox:
        if patch.strip():
            import base64

            encoded = base64.b64encode(patch.encode()).decode()
            sandbox.run("rm -f /tmp/unstuck.patch", timeout=30)
            for start in range(0, len(encoded), 60_000):
                sandbox.run(f"printf %s '{encoded[start:start + 60_000]}' >> /tmp/unstuck.patch.b64", timeout=30)
            applied = sandbox.run("base64 -d /tmp/unstuck.patch.b64 > /tmp/unstuck.patch && "
                                  "git apply --whitespace=nowarn /tmp/unstuck.patch", timeout=60)
            if applied.exit_code != 0:
                return False
        return run_check(sandbox, task.check, timeout).passed


def read_repo(repo: Path) -> dict[str, str]:
    """Text of the repo's files (read-only), for the repo map; big or binary files as empty."""
    files = {}
    for name in repo_files(repo):
        path = repo / name
        try:
            data = path.read_bytes() if path.is_file() and path.stat().st_size <= MAX_MAP_FILE_BYTES else b""
        except OSError:
            data = b""
        files[name] = "" if b"\0" in data else data.decode("utf-8", errors="replace")
    return files


def is_test_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or "/tests/" in f"/{path}" or name == "conftest.py"


def find_focus(files: dict[str, str], check: CheckResult) -> str | None:
    """The file to repair: where the failure points outside the tests, else what the failing test imports."""
    for failure in check.failures:
        frame_path = failure.frame.split(":")[0]
        if frame_path in files and not is_test_file(frame_path):
            return frame_path
    for failure in check.failures:
        test_path = failure.test_id.split("::")[0]
        for target in imported_files(files, test_path):
            if not is_test_file(target):
                return target
    candidates = [p for p in files if p.endswith(".py") and not is_test_file(p)]
    return candidates[0] if candidates else None


def _read(sandbox: Sandbox, path: str) -> str:
    try:
        return sandbox.read_file(path)
    except FileNotFoundError:
        return ""


def action_probe(
    messages: list[dict[str, str]], reply: str, tokens: int, max_new_tokens: int, focus: str | None = None
) -> FormatProbe:
    """The guard's format probe: the prompt that just gave ``reply``, a valid action of ``tokens``
    tokens. After an update the same prompt must still give an action, finished within twice
    that length, and — where ``reply`` wrote Python that compiled — Python that compiles."""
    focus = focus or "probe.py"
    compiled = _compiles(parse_action(reply, focus))

    def problem(text: str) -> str | None:
        try:
            action = parse_action(text, focus)
        except FormatError as error:
            return str(error)
        if compiled and not _compiles(action):
            return "its Python no longer compiles"
        return None

    return FormatProbe(messages, problem, min(max_new_tokens, 2 * tokens + 16), (ACTION_STOP,))


def recorded_probe(steps: list[Step], max_new_tokens: int, count_tokens: Callable[[str], int]) -> FormatProbe | None:
    """The format probe the agent would hand the guard after ``steps`` (their last parsed action)."""
    for step in reversed(steps):
        if not step.action or not step.output or step.action.get("kind") == "check":
            continue
        try:
            return action_probe(step.messages, step.output, step.tokens or count_tokens(step.output),
                                max_new_tokens, step.action.get("path") or None)
        except FormatError:
            continue
    return None


def _compiles(action: Action) -> bool:
    if action.kind != "write" or not (action.path or "").endswith(".py"):
        return False
    try:
        compile(action.text or "", action.path, "exec")
    except (SyntaxError, ValueError):
        return False
    return True
