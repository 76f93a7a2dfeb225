"""The run API every surface drives — events, cancel, pause, interject, teach — on the real
embedded model in the real Docker sandbox."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from memory import Memory
from tests.conftest import my_sandboxes
from unstuck import events as ev
from unstuck.agent import Agent, AgentSettings
from unstuck.learn import LearnerSettings
from unstuck.policy import PolicyBusy
from unstuck.task import Task
from unstuck.trajectory import Trajectory

CANCEL_WITHIN = 2.0  # seconds, from cancel() to wait() returning with the sandbox gone


class Recorder:
    """Collects a run's events; ``wait_for`` blocks until one of a kind has arrived."""

    def __init__(self) -> None:
        self.events: list[ev.Event] = []
        self._arrived = threading.Condition()

    def __call__(self, event: ev.Event) -> None:
        with self._arrived:
            self.events.append(event)
            self._arrived.notify_all()

    def wait_for(self, cls: type[ev.Event], timeout: float = 120) -> ev.Event:
        with self._arrived:
            found = self._arrived.wait_for(lambda: any(isinstance(e, cls) for e in self.events), timeout)
        assert found, f"no {cls.kind} event within {timeout} s; got {[e.kind for e in self.events]}"
        return next(e for e in self.events if isinstance(e, cls))

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


def _agent(policy, factory, store=None, **settings) -> Agent:
    return Agent(policy, factory, AgentSettings(**settings), memory=store,
                 learner_settings=LearnerSettings(steps=8, kl_every=4))


def _cancel_and_time(handle) -> tuple[object, float]:
    began = time.perf_counter()
    handle.cancel()
    outcome = handle.wait(timeout=30)
    seconds = time.perf_counter() - began
    print(f"cancel() → wait() returned in {seconds:.2f} s")
    return outcome, seconds


@pytest.mark.slow
def test_cancel_while_the_model_writes_stops_within_2s_and_keeps_the_records(
        greet_repo: Path, tmp_path: Path, base_policy, docker_factory, docker_client):
    recorder = Recorder()
    with Memory(tmp_path / "memory.sqlite3") as store:
        handle = _agent(base_policy, docker_factory, store, max_steps=5).start(
            Task(greet_repo), tmp_path / "run.jsonl", on_event=recorder)
        recorder.wait_for(ev.TextChunk)  # the model is writing
        outcome, seconds = _cancel_and_time(handle)
        episode = store.episodes()[0]
    assert outcome.status == "cancelled" and not outcome.fixed and seconds < CANCEL_WITHIN, (outcome.reason, seconds)
    assert my_sandboxes(docker_client) == []
    finished = [e for e in recorder.events if isinstance(e, ev.GenerationFinished)]
    assert finished[-1].cancelled
    assert episode["status"] == "cancelled"
    assert Trajectory.load(tmp_path / "run.jsonl").steps[0].check is not None  # the first check is on disk


@pytest.mark.slow
def test_cancel_during_a_long_sandbox_command_kills_it_within_2s(tmp_path: Path, greet_repo: Path, base_policy,
                                                                   docker_factory, docker_client):
    recorder = Recorder()
    task = Task(greet_repo, check="sleep 60; python -m pytest -q")
    handle = _agent(base_policy, docker_factory).start(task, tmp_path / "run.jsonl", on_event=recorder)
    recorder.wait_for(ev.CheckStarted)
    time.sleep(1.0)  # well inside the 60 s command
    outcome, seconds = _cancel_and_time(handle)
    assert outcome.status == "cancelled" and seconds < CANCEL_WITHIN, seconds
    check = next(e for e in recorder.events if isinstance(e, ev.CheckFinished))
    assert check.cancelled and check.seconds < 5
    assert my_sandboxes(docker_client) == []


@pytest.mark.slow
def test_cancel_during_training_rolls_the_adapter_back_within_2s(tmp_path: Path, greet_repo: Path, base_policy,
                                                                  docker_factory, docker_client):
    from tests.stuck_greet import PROMPT

    before = base_policy.logprob(PROMPT, "Ahoy")
    recorder = Recorder()
    handle = _agent(base_policy, docker_factory, max_steps=3).start(Task(greet_repo), tmp_path / "run.jsonl",
                                                                    on_event=recorder)
    handle.teach("greet(name) must return 'Ahoy, ' + name + '!'")  # an update starts at the first boundary
    recorder.wait_for(ev.LearningStep)
    outcome, seconds = _cancel_and_time(handle)
    assert outcome.status == "cancelled" and seconds < CANCEL_WITHIN, seconds
    learned = next(e for e in recorder.events if isinstance(e, ev.LearningFinished))
    assert learned.cancelled and not learned.accepted and learned.source == "teach"
    assert not base_policy.adapter_live and base_policy.logprob(PROMPT, "Ahoy") == before
    assert my_sandboxes(docker_client) == []
    taught = [s for s in Trajectory.load(tmp_path / "run.jsonl").steps if s.rung == "teach"]
    assert taught and taught[0].update["cancelled"]


@pytest.mark.slow
def test_pause_holds_the_run_at_a_step_boundary_until_resume(tmp_path: Path, greet_repo: Path, base_policy,
                                                             docker_factory):
    recorder = Recorder()
    handle = _agent(base_policy, docker_factory, max_steps=1).start(Task(greet_repo), on_event=recorder)
    handle.pause()
    paused = recorder.wait_for(ev.Paused)
    time.sleep(1.5)
    assert not any(isinstance(e, ev.GenerationStarted) for e in recorder.events), "the model wrote while paused"
    handle.resume()
    outcome = handle.wait(timeout=300)
    kinds = recorder.kinds()
    assert kinds.index("resumed") > kinds.index("paused") and kinds.index("generation-started") > kinds.index("resumed")
    assert paused.step == 1 and outcome.turns == 1
    assert outcome.seconds < 1.5 + 300  # paused time is not a budget problem; the run finished on its own


@pytest.mark.slow
def test_an_interjection_reaches_the_next_prompt_and_the_trajectory(tmp_path: Path, greet_repo: Path, base_policy,
                                                                      docker_factory):
    words = "The harbour greets every visitor with Ahoy."
    handle = _agent(base_policy, docker_factory, max_steps=1).start(Task(greet_repo), tmp_path / "run.jsonl")
    handle.interject(words)
    outcome = handle.wait(timeout=300)
    steps = Trajectory.load(tmp_path / "run.jsonl").steps
    said = [s for s in steps if s.rung == "interject"]
    assert said and said[0].manager == words
    turn = next(s for s in steps if s.index > said[0].index and s.messages)
    assert f"Your manager says: {words}" in turn.messages[-1]["content"]
    assert outcome.manager == [{"kind": "interject", "text": words, "at_step": said[0].index}]


@pytest.mark.slow
def test_every_event_round_trips_through_json_and_every_phase_ends(tmp_path: Path, greet_repo: Path, base_policy,
                                                                    docker_factory):
    handle = _agent(base_policy, docker_factory, max_steps=2).start(Task(greet_repo), tmp_path / "run.jsonl")
    handle.interject("Read the assertion.")
    events = list(handle.events)  # the stream ends with RunFinished
    outcome = handle.wait()
    assert isinstance(events[0], ev.RunStarted) and isinstance(events[-1], ev.RunFinished)
    assert events[-1].outcome == json.loads(json.dumps(outcome.to_dict()))
    for event in events:
        assert ev.event_from_dict(json.loads(json.dumps(event.to_dict()))) == event
    kinds = [e.kind for e in events]
    for start, end in ev.PAIRS.items():
        assert kinds.count(start) == kinds.count(end), (start, kinds)
    assert {"check-started", "generation-started", "text", "action", "interjected", "phase-started"} <= set(kinds)


def test_a_second_run_on_a_busy_policy_is_refused_with_a_clear_error(tmp_path: Path, repo: Path, base_policy,
                                                                      docker_factory):
    handle = _agent(base_policy, docker_factory, max_steps=1).start(Task(repo, check="sleep 30"))
    try:
        with pytest.raises(PolicyBusy, match="busy with another run"):
            _agent(base_policy, docker_factory).start(Task(repo))
    finally:
        handle.cancel()
        assert handle.wait(timeout=30).status == "cancelled"
    handle = _agent(base_policy, docker_factory, max_steps=1).start(Task(repo, check="true"))  # free again
    assert handle.wait(timeout=60).status == "already-passing"


def test_manager_messages_must_say_something(tmp_path: Path, repo: Path, base_policy, docker_factory):
    handle = _agent(base_policy, docker_factory).start(Task(repo, check="true"))
    with pytest.raises(ValueError, match="empty"):
        handle.teach("   ")
    assert handle.wait(timeout=60).status == "already-passing"


@pytest.mark.slow
def test_teach_updates_the_weights_and_the_next_action_uses_the_fact(tmp_path: Path, greet_repo: Path, base_policy,
                                                                     docker_factory):
    """Where retrying repeats `Hello` (the base model, greedy), one teach with the fact is a guarded
    update; the measured effect: the next action writes the taught greeting and the check passes."""
    recorder = Recorder()
    agent = Agent(base_policy, docker_factory, AgentSettings(strategy="retry", max_steps=2))
    handle = agent.start(Task(greet_repo), tmp_path / "run.jsonl", on_event=recorder)
    handle.teach('greet(name) must return f"Ahoy, {name}!" — the harbour greets with Ahoy, not Hello.')
    outcome = handle.wait(timeout=600)
    learned = next(e for e in recorder.events if isinstance(e, ev.LearningFinished))
    print(f"taught: accepted={learned.accepted} KL={learned.kl} steps={learned.steps} {learned.seconds} s")
    assert learned.source == "teach" and learned.accepted, learned.reason
    assert learned.kl is not None and learned.kl <= LearnerSettings().kl_budget
    action = next(e for e in recorder.events if isinstance(e, ev.ActionTaken) and e.step > learned.step)
    assert 'return f"Ahoy, {name}!"' in action.text
    assert outcome.status == "fixed" and outcome.verified and outcome.turns == 1
