"""Run every strategy on the same tasks, seeds and budget; stream each result to disk; resume.

The output folder::

    bench.json                      the settings (a resumed run must match them)
    results.jsonl                   one line per finished run, appended and fsynced as it ends
    runs/STRATEGY/TASK-seedN.json   the run's full report (patch, verdicts, rungs, updates)
    trajectories/STRATEGY/TASK-seedN.jsonl
    adapters/STRATEGY/TASK-seedN/update-K/   adapters the guard accepted
    repos/TASK/                     the staged task (what the sandbox copies)
    hidden.json                     fixed runs against their task's hidden test (``hidden.py``)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..agent import Agent, AgentSettings, SandboxFactory
from ..errors import UsageError
from ..events import Event
from ..fileio import append_line, write_atomic
from ..ladder import STRATEGIES
from ..learn.learner import LearnerSettings
from ..outcome import Outcome
from ..task import Task
from .suites import BenchTask

if TYPE_CHECKING:
    from ..config import Settings

RESULTS = "results.jsonl"
HIDDEN = "hidden.json"
SETTINGS = "bench.json"
MANAGER_STRATEGIES = ("interject", "teach")
"""The manager says the task's fact once, after the first check, to an agent that otherwise only retries."""
BENCH_STRATEGIES = (*STRATEGIES, *MANAGER_STRATEGIES)
BENCH_OWNED = frozenset({"strategy", "max_steps", "max_seconds", "temperature", "seed", "sample_seconds"})
"""Agent settings the bench sets from its own options (and the strategy under test)."""


@dataclass
class BenchSettings:
    """What a bench compares, and on what."""

    suite: str = "small"
    strategies: list[str] = field(default_factory=lambda: list(STRATEGIES))
    model: str = "embedded"
    budget: int = 8
    """Model turns per run (the agent's ``max_steps``)."""
    seeds: int = 1
    temperature: float = 0.0
    tasks: int | None = None
    """Only the first K tasks of the suite."""
    max_seconds: float = 1800.0
    """Wall-clock budget per run."""
    learner: dict[str, Any] = field(default_factory=dict)
    """Learner settings that differ from the defaults (``--set learner.KEY=VALUE``), by field name."""
    agent: dict[str, Any] = field(default_factory=dict)
    """Agent settings that differ from the defaults (``--set KEY=VALUE``, ``stuck.KEY=VALUE``), by dotted
    name under ``agent`` (the budget, time, temperature and seeds are the bench's own options)."""

    def __post_init__(self) -> None:
        unknown = [s for s in self.strategies if s not in BENCH_STRATEGIES]
        if unknown or not self.strategies:
            raise UsageError(f"--strategies takes a comma-separated subset of {','.join(BENCH_STRATEGIES)}, "
                             f"not {','.join(self.strategies)!r}")
        for name, value in (("--budget", self.budget), ("--seeds", self.seeds)):
            if value < 1:
                raise UsageError(f"{name} must be at least 1")
        if self.temperature < 0:
            raise UsageError("--temperature must not be negative")
        owned = ", ".join(sorted(name.replace("_", "-") for name in set(self.agent) & BENCH_OWNED))
        if owned:
            raise UsageError(f"bench --set cannot set {owned}: use --budget, --max-seconds, --temperature or --seeds")
        self._settings()  # a bad name or value is a usage error before anything loads

    def learner_settings(self) -> LearnerSettings:
        """The learner's settings for every run: the defaults with ``learner`` on top."""
        return self._settings().learner

    def agent_settings(self) -> AgentSettings:
        """The agent's settings before the bench sets its own options: the defaults with ``agent`` on top."""
        return self._settings().agent

    def _settings(self) -> Settings:
        from ..config import load_settings, written_key

        flags = {f"{section}.{name}": (value, f"--set {written_key(f'{section}.{name}')}")
                 for section, chosen in (("learner", self.learner), ("agent", self.agent))
                 for name, value in chosen.items()}
        return load_settings(None, flags).settings

    def identity(self) -> dict[str, Any]:
        """What must match for results in one folder to be comparable."""
        return {"suite": self.suite, "model": self.model, "budget": self.budget, "temperature": self.temperature,
                "max_seconds": self.max_seconds, "learner": self.learner, "agent": self.agent}

    def effective(self) -> dict[str, Any]:
        """Every agent and learner setting the runs use, defaults included (a default that changes between
        two runs into one folder changes results as much as a ``--set``)."""
        agent = {k: v for k, v in asdict(self.agent_settings()).items() if k not in BENCH_OWNED}
        return {"agent": agent, "learner": asdict(self.learner_settings())}


@dataclass(frozen=True)
class RunKey:
    task: str
    strategy: str
    seed: int

    @property
    def label(self) -> str:
        return f"{self.task}-seed{self.seed}"

    @property
    def run_name(self) -> str:
        """``STRATEGY/TASK-seedN``: where the run's report lies under ``runs/``, and its key in ``hidden.json``."""
        return f"{self.strategy}/{self.label}"

    @classmethod
    def of(cls, row: dict[str, Any]) -> RunKey:
        """The key of a ``results.jsonl`` row."""
        return cls(row["task"], row["strategy"], row["seed"])


def result_row(key: RunKey, outcome: Outcome, adapters: list[str], split: str = "") -> dict[str, Any]:
    """The line ``results.jsonl`` keeps for one run: what the summary and the plot need."""
    updates = [u for u in outcome.updates if not u.get("skipped")]
    first = next((r.get("turn") for r in outcome.rungs if r["rung"] in ("learn", "sample")), None)
    return {
        **asdict(key), "split": split, "status": outcome.status, "fixed": outcome.fixed, "turns": outcome.turns,
        "seconds": outcome.seconds, "tokens": outcome.tokens, "stuck": bool(outcome.verdicts),
        "verdicts": [v["kind"] for v in outcome.verdicts], "rungs": [r["rung"] for r in outcome.rungs],
        "updates": len(updates), "accepted": sum(1 for u in updates if u.get("accepted")),
        "kl": [u["kl"] for u in updates if u.get("kl") is not None], "adapters": adapters,
        "start_failures": outcome.start_failures, "end_failures": outcome.end_failures, "reason": outcome.reason,
        "update_seconds": [u["seconds"] for u in updates if u.get("source", "stuck") == "stuck"],
        "first_update_turn": first, "skipped_updates": len(outcome.updates) - len(updates),
    }


def read_results(out: Path) -> list[dict[str, Any]]:
    """Finished runs in ``out`` (a line cut short by a crash is ignored; that run runs again), each with
    ``general``: whether its fix passed the task's hidden test (None where none was run)."""
    path = out / RESULTS
    if not path.is_file():
        return []
    hidden = read_hidden(out)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        rows.append({**row, "general": hidden.get(RunKey.of(row).run_name)})
    return rows


def read_hidden(out: Path) -> dict[str, bool]:
    """``out/hidden.json``: each checked fix's verdict by ``RunKey.run_name`` ({} when none was run)."""
    path = out / HIDDEN
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def prepare_out(out: Path, settings: BenchSettings) -> None:
    """Create ``out`` or check that the run already there was made with the same settings."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / SETTINGS
    if path.is_file():
        earlier = json.loads(path.read_text(encoding="utf-8"))
        earlier.setdefault("learner", {})  # a folder from before benches could set the learner…
        earlier.setdefault("agent", {})  # …or the agent
        differ = {k: (earlier.get(k), v) for k, v in settings.identity().items() if earlier.get(k) != v}
        if "effective" in earlier:  # a folder from before they were recorded has only its overrides to compare
            differ |= _changed_defaults(earlier["effective"], settings.effective())
        if differ:
            what = ", ".join(f"{k} {old!r} → {new!r}" for k, (old, new) in differ.items())
            raise UsageError(f"{out} holds a bench with other settings ({what}); use another --out or --fresh")
        recorded = {"effective": settings.effective()} if "effective" in earlier else {}
    else:
        recorded = {"effective": settings.effective()}
    _write_json(path, {**asdict(settings), **recorded})


def _changed_defaults(earlier: dict[str, Any], now: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Settings both records have whose values differ, by dotted name (one added since is no change)."""
    differ: dict[str, tuple[Any, Any]] = {}
    for section in ("agent", "learner"):
        before, after = _flat(earlier.get(section, {})), _flat(now[section])
        differ |= {f"{section}.{k}": (before[k], v) for k, v in after.items() if k in before and before[k] != v}
    return differ


def _flat(settings: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        flat |= _flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value}
    return flat


def plan(tasks: list[BenchTask], settings: BenchSettings, done: list[dict[str, Any]]) -> list[RunKey]:
    """The runs still to do: per task and seed, every strategy (``retry`` first, so its verdicts come first)."""
    finished = {(r["task"], r["strategy"], r["seed"]) for r in done}
    order = sorted(settings.strategies, key=BENCH_STRATEGIES.index)
    if set(order) & set(MANAGER_STRATEGIES):
        missing = [t.name for t in tasks if not t.fact]
        if missing:
            raise UsageError(f"the teach and interject strategies need a \"fact\" in task.json; "
                             f"missing in {', '.join(missing)}")
    return [RunKey(t.name, s, seed) for t in tasks for seed in range(settings.seeds) for s in order
            if (t.name, s, seed) not in finished]


class BenchRunner:
    """Runs the planned runs one after another with one loaded policy."""

    def __init__(self, policy: Any, factory: SandboxFactory, settings: BenchSettings, out: Path,
                 on_event: Callable[[RunKey, Event], None] | None = None) -> None:
        self.policy, self.factory, self.settings, self.out = policy, factory, settings, out
        self.on_event = on_event or (lambda key, event: None)

    def sample_seconds(self) -> float:
        """What ``sample`` spends per stuck verdict: the median update time of this bench's learn runs
        so far (the same compute), else a default."""
        rows = read_results(self.out)
        seconds = [s for row in rows if row["strategy"] == "learn" for s in row.get("update_seconds", [])]
        return round(_median(seconds), 1) if seconds else DEFAULT_SAMPLE_SECONDS

    def run(self, task: BenchTask, key: RunKey) -> dict[str, Any]:
        """One run from the base model; its report, trajectory and row are on disk when this returns."""
        self.policy.reset_adapter()  # every run starts from the base: the bench measures unsticking within a task
        manager = key.strategy in MANAGER_STRATEGIES
        settings = replace(self.settings.agent_settings(), strategy="retry" if manager else key.strategy,
                           max_steps=self.settings.budget, max_seconds=self.settings.max_seconds,
                           temperature=self.settings.temperature, seed=key.seed, sample_seconds=self.sample_seconds())
        adapters = self.out / "adapters" / key.strategy / key.label
        agent = Agent(self.policy, self.factory, settings, adapters_dir=adapters,
                      learner_settings=self.settings.learner_settings())
        trajectory = self.out / "trajectories" / key.strategy / f"{key.label}.jsonl"
        trajectory.parent.mkdir(parents=True, exist_ok=True)
        handle = agent.start(Task(task.repo, task.goal, task.check), trajectory,
                             on_event=lambda event: self.on_event(key, event))
        try:
            if manager:
                getattr(handle, key.strategy)(task.fact)  # heard at the first step boundary, after the first check
            outcome = handle.wait()
        except KeyboardInterrupt:
            handle.cancel()
            handle.wait()
            raise
        finally:
            self.policy.reset_adapter()
        _write_json(self.out / "runs" / f"{key.run_name}.json", outcome.to_dict())
        saved = [u["adapter_path"] for u in outcome.updates if u.get("adapter_path")]
        row = result_row(key, outcome, [str(Path(p).relative_to(self.out)) for p in saved], task.split)
        append_line(self.out / RESULTS, json.dumps(row))
        return row


DEFAULT_SAMPLE_SECONDS = 15.0


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2))
