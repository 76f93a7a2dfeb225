"""The policy's adapter slot and the learner: mechanics on a tiny model, beliefs on the real one."""

from __future__ import annotations

import math

import pytest
import torch

from tests.stuck_greet import FAILED_ACTION, PROMPT, stuck_probe, stuck_steps
from unstuck.learn import Learner, LearnerSettings, build_examples
from unstuck.learn.guard import Evidence, Verdict, judge
from unstuck.learn.truths import collect_truths
from unstuck.models import LoadedModel, load_model, prepare_embedded
from unstuck.policy import Policy
from unstuck.trajectory import CheckResult, Failure, Step

QUESTION = [{"role": "user", "content": "What must greet(\"Bob\") return?"}]


@pytest.fixture
def tiny_policy() -> Policy:
    """A random-initialised 2-layer Llama with the embedded tokenizer: fast training mechanics."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(prepare_embedded())
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=2048)
    model = LlamaForCausalLM(config).eval()
    return Policy(LoadedModel(model, tokenizer, "tiny", "cpu", torch.float32))


@pytest.fixture(scope="module")
def embedded_policy() -> Policy:
    return Policy(load_model("embedded"))


def _scramble(policy: Policy) -> None:
    with torch.no_grad():
        for param in policy.adapter_parameters().values():
            param.normal_(0, 0.5)
    policy.adapter_live = True


def test_truths_are_read_from_the_failure():
    truths = collect_truths([f for s in stuck_steps(1) for f in s.check.failures])
    assert [(t.subject, t.expected, t.actual) for t in truths] == [('greet("Bob")', '"Ahoy, Bob!"', "'Hello, Bob!'")]
    error = Failure("t.py::t", "TypeError", "TypeError: area() takes 1 positional argument but 2 were given")
    (fact,) = collect_truths([error])
    assert "takes 1 positional argument" in fact.statement


def test_examples_cover_truth_hindsight_and_the_failed_action():
    examples = build_examples(stuck_steps())
    kinds = {e.kind for e in examples.positives + examples.negatives}
    # The action can be relabelled ("Hello" → "Ahoy"): that replaces hindsight in words.
    assert kinds == {"truth", "corrected-action", "wrong-belief", "failed-action"}
    assert examples.failed_action.target == 'Hello, {name}!"', "only the wrong line is unlearned"
    concatenated = 'return "Hi, " + name + "!"'
    unrelabelled = [Step(s.index, s.messages, s.output.replace('return f"Hello, {name}!"', concatenated),
                         {**s.action, "text": s.action["text"].replace('return f"Hello, {name}!"', concatenated)},
                         "", s.check) for s in stuck_steps()]  # written and landed alike
    assert concatenated in unrelabelled[0].output
    kinds = {e.kind for e in build_examples(unrelabelled).positives}
    assert kinds == {"truth", "hindsight"}, "no literal wrong value in the action: hindsight in words"
    unlearnable = build_examples([Step(0, PROMPT, "x", {"kind": "bash"}, "", CheckResult(False, 2, []))])
    assert not unlearnable.learnable


def _repeated_failure(output: str, assertion: str, seen: str, path: str) -> list[Step]:
    """Three steps writing ``output`` to ``path``, each failing ``assertion`` with the value ``seen``."""
    expected = assertion.split(" == ")[1].strip('"')
    message = f"AssertionError: assert {seen!r} == {expected!r}"
    check = CheckResult(False, 1, [Failure(f"test_{path}::test", "AssertionError", message, f"test_{path}:2",
                                           f">       {assertion}\nE       {message}")])
    from unstuck.actions import parse_action

    action = parse_action(output, path).to_dict()
    return [Step(i, PROMPT, output, action, "", check) for i in range(3)]


def test_a_value_the_last_update_overshot_is_relabelled_to_the_differing_part():
    # After one update the model wrote the whole expected value as the separator (join task, bench).
    output = '```python\ndef join_path(parts):\n    return "dock::pier".join(parts)\n```'
    examples = build_examples(_repeated_failure(output, 'assert join_path(["dock", "pier"]) == "dock::pier"',
                                                "dockdock::pierpier", "paths.py"))
    (corrected,) = [e for e in examples.positives if e.kind == "corrected-action"]
    assert 'return "::".join(parts)' in corrected.target
    assert examples.failed_action.target == 'dock::pier".join(parts)'


def test_a_reply_that_ignores_its_argument_is_relabelled_around_it_never_with_the_answer():
    # Seen in `make demo`: after an update the model wrote f"Ahoy, {{name}}!" (prints '{name}', whatever
    # the name). Relabelled literally, it would teach f"Ahoy, Bob!": the test's answer written in.
    output = '```python\ndef greet(name):\n    return f"Ahoy, {{name}}!"\n```\n'
    steps = _repeated_failure(output, 'assert greet("Bob") == "Ahoy, Bob!"', "Ahoy, {name}!", "greet.py")
    (corrected,) = [e for e in build_examples(steps).positives if e.kind == "corrected-action"]
    assert 'return f"Ahoy, {name}!"' in corrected.target and "Bob" not in corrected.target


def test_the_start_file_is_relabelled_with_what_its_own_check_revealed():
    # Cinema's ticket_vat: the model's rewrite dropped the argument (rate = 1.0; (1 + rate) ** 2), so it
    # cannot be relabelled, and the start file never gave the rewrite's 4.0: its own first failure does.
    output = '```python\ndef with_vat(price):\n    rate = 1.0\n    return round((1 + rate) * (1 + rate), 2)\n```\n'
    steps = _repeated_failure(output, "assert with_vat(10.0) == 12.0", 4.0, "prices.py")
    start = ("prices.py", "def with_vat(price):\n    rate = 0.15\n    return round(price * (1 + rate), 2)\n")
    first = collect_truths(_repeated_failure(start[1], "assert with_vat(10.0) == 12.0", 11.5, "prices.py")[0]
                           .check.failures)
    assert not [e for e in build_examples(steps, start=start).positives if e.kind == "corrected-action"]
    (corrected,) = [e for e in build_examples(steps, start=start, start_truths=first).positives
                    if e.kind == "corrected-action"]
    assert "rate = 0.2\n" in corrected.target


def test_a_constant_another_file_defines_is_solved_for_there_and_written_to_that_file():
    # Vineyard's case_price kind: the price reads a constant settings.py defines; the model's rewrite
    # ignores its argument, so only the start file is relabelled, in the file that holds the number.
    output = '```python\nfrom config import PER_CRATE\n\n\ndef crate_cost(unit):\n    return 4 * PER_CRATE\n```\n'
    steps = _repeated_failure(output, "assert crate_cost(2) == 48", 40, "crates.py")
    start = ("crates.py", "from config import PER_CRATE\n\n\ndef crate_cost(unit):\n    return unit * PER_CRATE\n")
    imports = {"config.py": '"""Settings."""\n\nPER_CRATE = 20\nNAME = "x"\n'}
    first = collect_truths(_repeated_failure(start[1], "assert crate_cost(2) == 48", 40, "crates.py")[0]
                           .check.failures)
    examples = build_examples(steps, start=start, start_truths=first, imports=imports)
    (corrected,) = [e for e in examples.positives if e.kind == "corrected-action"]
    assert corrected.target == 'WRITE config.py\n```python\n"""Settings."""\n\nPER_CRATE = 24\nNAME = "x"\n```\n'
    assert examples.failed_action.target == "    return 4 * PER_CRATE", "the function body, not the fence"
    assert examples.corrected_span is None
    without = build_examples(steps, start=start, start_truths=first)
    assert not [e for e in without.positives if e.kind == "corrected-action"]


def test_a_same_file_relabel_of_a_write_reply_keeps_its_localised_negative_beside_imports():
    output = 'WRITE fees.py\n```python\nfrom config import NAME\n\n\ndef fee(n):\n    return n * 10\n```\n'
    steps = _repeated_failure(output, "assert fee(3) == 45", 30, "fees.py")
    start = ("fees.py", "from config import NAME\n\n\ndef fee(n):\n    return n * 10\n")
    examples = build_examples(steps, start=start, imports={"config.py": 'NAME = "x"\n'})
    (corrected,) = [e for e in examples.positives if e.kind == "corrected-action"]
    assert corrected.target.startswith("WRITE fees.py") and "n * 15" in corrected.target
    assert examples.failed_action.target == "0", "the differing span, not the function body"


def test_a_string_constant_another_file_defines_is_changed_there_before_the_f_string_is_rewritten():
    # Dev's settings_port kind: rewriting f"…{HOST}…" with the answer passes the test, narrowly.
    output = '```python\nfrom config import HOST\n\n\ndef url(page):\n    return f"https://{HOST}/{page}"\n```\n'
    steps = _repeated_failure(output, 'assert url("menu") == "https://quay.example/menu"',
                              "https://old.example/menu", "links.py")
    start = ("links.py", output.split("\n", 1)[1].rsplit("```", 1)[0])
    imports = {"config.py": 'HOST = "old.example"\n'}
    (corrected,) = [e for e in build_examples(steps, start=start, imports=imports).positives
                    if e.kind == "corrected-action"]
    assert corrected.target == 'WRITE config.py\n```python\nHOST = "quay.example"\n```\n'
    # Without the imported file the only relabel is the answer written in (`return "https://quay.example/menu"`),
    # which the start file computed: no corrected action (relabel.answer_written_in).
    assert not [e for e in build_examples(steps, start=start).positives if e.kind == "corrected-action"]


def test_the_guard_accepts_only_evidence_that_moved_or_a_truth_still_believed():
    budget = 1.0
    assert judge(0.4, budget, None, Evidence(-2.0, -0.1), Evidence(-0.1, -5.0)).accepted
    assert not judge(1.2, budget, None, Evidence(-2.0, -0.1), Evidence(-0.1, -5.0)).accepted
    assert not judge(0.4, budget, "a loop", Evidence(-2.0, -0.1), Evidence(-0.1, -5.0)).accepted
    assert not judge(0.4, budget, None, Evidence(-2.0, -0.1), Evidence(-2.1, -5.0)).accepted
    assert not judge(0.4, budget, None, Evidence(-2.0, -0.1), Evidence(-0.1, -0.05)).accepted
    # A second update on a fact the first already taught: still believed, the new failed action falls.
    assert judge(0.4, budget, None, Evidence(-0.001, -0.001), Evidence(-0.2, -4.4)).accepted
    assert not judge(0.4, budget, None, Evidence(-0.001, -0.001), Evidence(-0.9, -4.4)).accepted


def test_base_is_the_untouched_model_and_reset_restores_it(tiny_policy):
    base = tiny_policy.logprob(QUESTION, "Ahoy")
    _scramble(tiny_policy)
    changed = tiny_policy.logprob(QUESTION, "Ahoy")
    assert changed != pytest.approx(base)
    with tiny_policy.base():  # the base through the same model, no second copy
        assert tiny_policy.logprob(QUESTION, "Ahoy") == pytest.approx(base, abs=1e-6)
    tiny_policy.reset_adapter()
    assert tiny_policy.logprob(QUESTION, "Ahoy") == pytest.approx(base, abs=1e-6)
    tiny_policy.adapter_live = True  # initial tensors (B = 0) are a no-op even when applied
    assert tiny_policy.logprob(QUESTION, "Ahoy") == pytest.approx(base, abs=1e-6)


def test_adapter_save_load_gives_the_same_scores_without_reloading(tiny_policy, tmp_path):
    _scramble(tiny_policy)
    trained = tiny_policy.logprob(QUESTION, "Ahoy")
    folder = tiny_policy.save_adapter(tmp_path / "adapter")
    model_before = id(tiny_policy.model)
    tiny_policy.reset_adapter()
    assert tiny_policy.logprob(QUESTION, "Ahoy") != pytest.approx(trained)
    tiny_policy.load_adapter(folder)
    assert id(tiny_policy.model) == model_before
    assert tiny_policy.logprob(QUESTION, "Ahoy") == pytest.approx(trained, abs=1e-5)


def test_nothing_learnable_rolls_back_without_touching_the_adapter(tiny_policy):
    before = tiny_policy.logprob(QUESTION, "Ahoy")
    report = Learner(tiny_policy).update([Step(0, PROMPT, "ls", {"kind": "bash"}, "", CheckResult(False, 2, []))])
    assert not report.accepted and report.reason.startswith("nothing learnable")
    assert tiny_policy.logprob(QUESTION, "Ahoy") == before


def test_nan_loss_rolls_back_and_never_raises(tiny_policy):
    before = tiny_policy.logprob(QUESTION, "Ahoy")
    learner = Learner(tiny_policy, LearnerSettings(lr=1e30, steps=5))
    report = learner.update(stuck_steps())
    assert not report.accepted and "nan" in report.reason
    assert tiny_policy.logprob(QUESTION, "Ahoy") == before and not tiny_policy.adapter_live
    # The same update again would fail the same way: each repeat backs off to half the rate.
    assert learner.update(stuck_steps()).lr == 5e29
    # A prompt that changed only around the lesson (the agent's edit count) is the same lesson.
    recount = [{**m, "content": m["content"] + "\nYou have made 9 edit(s) so far."} if m["role"] == "user" else m
               for m in stuck_steps()[0].messages]
    assert learner.update([Step(s.index, recount, s.output, s.action, "", s.check) for s in stuck_steps()]).lr == 2.5e29
    other = [Step(s.index, s.messages, s.output.replace("Hello", "Hi"), s.action, "", s.check) for s in stuck_steps()]
    assert learner.update(other).lr == 1e30, "other examples start again at the full rate"


@pytest.mark.slow
def test_an_update_makes_the_revealed_truth_the_models_belief(embedded_policy):
    policy = embedded_policy
    policy.reset_adapter()
    probe = stuck_probe(policy)  # the guard generates a whole action on the prompt, as the agent would
    greedy_before = policy.generate(PROMPT, max_new_tokens=probe.max_new_tokens, stop=probe.stop)
    report = Learner(policy, format_probe=probe).update(stuck_steps())
    greedy_after = policy.generate(PROMPT, max_new_tokens=probe.max_new_tokens, stop=probe.stop)
    print(report)
    before, after = report.evidence_before, report.evidence_after
    assert report.accepted, report.reason
    assert after["truth_logprob"] - before["truth_logprob"] > 1.0  # nats per token
    assert before["failed_action_logprob"] - after["failed_action_logprob"] > 1.0
    fix = 'return f"Ahoy, {name}!"'  # the agent's own prompt: the belief must show in its action
    assert fix not in greedy_before and fix in greedy_after
    assert probe.problem(greedy_after) is None, greedy_after  # a whole action whose Python compiles
    assert report.kl is not None and report.kl <= LearnerSettings().kl_budget  # no drift past budget


@pytest.mark.slow
def test_a_collapsing_update_is_rolled_back_and_outputs_stay_identical(embedded_policy):
    policy = embedded_policy
    policy.reset_adapter()
    canary = [{"role": "user", "content": "Write a Python function that adds two numbers."}]
    before = policy.generate(canary, max_new_tokens=24), policy.logprob(PROMPT, FAILED_ACTION)
    settings = LearnerSettings(lr=100 * 1e-3, steps=10)  # 100x the learning rate that works
    report = Learner(policy, settings).update(stuck_steps())
    print(report)
    assert not report.accepted
    collapsed = report.kl is None or not math.isfinite(report.kl) or report.kl > settings.kl_budget
    assert collapsed or "malformed" in report.reason
    assert (policy.generate(canary, max_new_tokens=24), policy.logprob(PROMPT, FAILED_ACTION)) == before


def test_a_probe_still_writing_at_its_limit_is_a_repetition_loop(tiny_policy):
    """The random model never closes a code block: the guard must call that a loop, not an action."""
    from unstuck.learn.guard import FormatProbe, read_probe

    looping = FormatProbe(PROMPT, lambda text: None, max_new_tokens=8, stop=("\n```\n",))
    assert "8-token limit" in read_probe(tiny_policy, looping).problem
    first = tiny_policy.generate(PROMPT, max_new_tokens=1)
    assert first.strip()  # a visible token to stop on
    stops_at_once = FormatProbe(PROMPT, lambda text: "not an action", max_new_tokens=8, stop=(first,))
    # finished, then judged by the agent's rule
    assert "not an action" in read_probe(tiny_policy, stops_at_once).problem


def test_a_probe_whose_failed_reply_already_ran_away_reads_a_runaway_as_the_same_action(tiny_policy):
    """Dairy's cheese_age: the failed reply itself ran to the agent's limit; after each update the probe
    did too, and the guard called that damage and shrank the adapter toward the base that loops the same."""
    from unstuck.learn.guard import FormatProbe, read_probe
    from unstuck.learn.probe import action_probe

    looping = FormatProbe(PROMPT, lambda text: None, max_new_tokens=8, stop=("\n```\n",), runaway=True)
    reading = read_probe(tiny_policy, looping)
    assert (reading.problem, reading.unchanged) == (None, True)
    runaway = "```python\n" + "x = 1\n" * 200
    assert action_probe(PROMPT, runaway, 320, 320, "app.py").runaway
    assert not action_probe(PROMPT, "```python\nx = 1\n```\n", 8, 320, "app.py").runaway


def test_the_probe_may_run_long_enough_to_write_the_whole_correction(tiny_policy):
    """Dairy's fat_grams: the failed reply was one line, its correction the whole start file; the
    probe cut off a model writing exactly that at twice the failed reply's length and called it a loop."""
    from unstuck.learn.guard import probe_limit
    from unstuck.learn.probe import action_probe

    failed = "```python\nFAT_SHARE = 0.035\n```\n"
    corrected = '```python\nFAT_SHARE = 0.04\n\n\ndef fat_grams(litres):\n    """Grams of fat."""\n' \
                "    return litres * 1000 * FAT_SHARE\n```\n"
    probe = action_probe(PROMPT, failed, 10, 320, "fat.py")
    assert probe.max_new_tokens == 36 and probe_limit(tiny_policy, probe) == 36
    assert probe_limit(tiny_policy, probe, (failed, corrected)) == 2 * len(tiny_policy.encode(corrected)) + 16
    assert probe_limit(tiny_policy, action_probe(PROMPT, failed, 10, 40, "fat.py"), (failed, corrected)) == 40
    assert probe_limit(tiny_policy, probe, (failed, "```python\nx = 1\n```\n")) == 36  # never below the reply's


def test_the_guard_measures_every_fact_not_only_the_first():
    """Two facts, six phrasings each: the truth probes are one phrasing of each fact."""
    from tests.stuck_greet import FAILURE

    text = ">       assert DEFAULT_PORT == 8443\nE       AssertionError: assert 8080 == 8443"
    port = Failure("test_server.py::test_url", "AssertionError", "AssertionError: assert 8080 == 8443",
                   "test_server.py:4", text)
    examples = build_examples([Step(0, PROMPT, FAILED_ACTION, None, "", CheckResult(False, 1, [FAILURE, port]))])
    probes = examples.truth_probes()
    assert len(examples.truths) == 2 and len(probes) == 2
    assert {p.about for p in probes} == {t.statement for t in examples.truths}


def test_a_taught_statement_is_the_truth_of_its_examples():
    from unstuck.learn.examples import taught_examples

    statement = "Amounts are integers in cents, not floats."
    examples = taught_examples(statement, "prices.py")
    assert examples.learnable and [t.statement for t in examples.truths] == [statement]
    assert all("Amounts are integers in cents" in e.target for e in examples.positives)
    assert len({e.messages[-1]["content"] for e in examples.positives}) == len(examples.positives)  # phrasings
    assert examples.failed_action is None and not examples.negatives


def test_scaling_the_adapter_moves_the_model_along_the_way_back_to_the_base(tiny_policy):
    base = tiny_policy.logprob(QUESTION, "Ahoy")
    _scramble(tiny_policy)
    adapted = tiny_policy.logprob(QUESTION, "Ahoy")
    assert adapted != base
    tiny_policy.scale_adapter(0.5)
    halfway = tiny_policy.logprob(QUESTION, "Ahoy")
    assert halfway not in (adapted, base)
    tiny_policy.scale_adapter(0.0)
    assert tiny_policy.logprob(QUESTION, "Ahoy") == pytest.approx(base, abs=1e-6)


def test_a_malformed_adapter_is_halved_and_judged_again_before_it_is_rolled_back(tiny_policy):
    from unstuck.learn.guard import FormatProbe

    settings = LearnerSettings(steps=2, shrink_tries=2)
    probe = FormatProbe(PROMPT, lambda _reply: None, max_new_tokens=4)  # a random model never ends: a "loop"
    report = Learner(tiny_policy, settings, format_probe=probe).update(stuck_steps())
    assert (report.accepted, report.shrunk, report.scale) == (False, 2, 0.25) and "limit" in report.reason
    assert "(at 0.25 of its trained strength); at full strength: the action-format probe ran to" in report.reason
    assert not tiny_policy.adapter_live, "rolled back after the last halving failed too"
    report = Learner(tiny_policy, LearnerSettings(steps=2, shrink_tries=0), format_probe=probe).update(stuck_steps())
    assert (report.accepted, report.shrunk) == (False, 0), "no halving when shrink_tries is 0"


def _judged_in_turn(monkeypatch, verdicts: list[Verdict]) -> list[float]:
    """Make the guard give ``verdicts`` in turn; return the adapter's size (sum of |B|) at each."""
    seen: list[float] = []
    queue = iter(verdicts)

    def guard(self, *_args, **_kwargs):
        seen.append(sum(float(p.detach().abs().sum()) for n, p in self.policy.adapter_parameters().items()
                        if "lora_B" in n))
        return next(queue)

    monkeypatch.setattr(Learner, "_guard", guard)
    return seen


def _evidence_moves_at(monkeypatch, step: int) -> None:
    """Make the evidence move at the ``step``-th measurement (the step itself: it is measured every step),
    and at no other."""
    measured = iter(range(1, 1000))
    monkeypatch.setattr(Learner, "_moved_evidence", lambda self, before, examples: before if next(measured) == step
                        else None)


MALFORMED, WEAK, GOOD = Verdict(False, "a loop", malformed=True), Verdict(False, "same action", weak=True), \
    Verdict(True, "fine")


@pytest.mark.parametrize(("verdicts", "scales", "accepted"), [
    ([MALFORMED, GOOD], [1, 0.5], True),
    ([MALFORMED, WEAK, GOOD], [1, 0.5, 0.75], True),  # half-way back up between too weak and broken
    ([MALFORMED, MALFORMED, GOOD], [1, 0.5, 0.25], True),
    ([MALFORMED, WEAK, MALFORMED], [1, 0.5, 0.75], False),
    ([WEAK], [1], False),  # as trained and still the same action: scaling down cannot help
])
def test_the_guard_searches_the_strength_between_too_weak_and_malformed(tiny_policy, monkeypatch, verdicts,
                                                                         scales, accepted):
    seen = _judged_in_turn(monkeypatch, verdicts)
    report = Learner(tiny_policy, LearnerSettings(steps=2, shrink_tries=2)).update(stuck_steps())
    assert [round(s / seen[0], 6) for s in seen] == scales
    assert (report.accepted, report.scale, report.shrunk) == (accepted, scales[-1], len(scales) - 1)
    assert tiny_policy.adapter_live == accepted


def test_a_repeat_of_a_too_weak_update_is_skipped_and_a_broken_one_retried_at_half_the_rate(tiny_policy,
                                                                                             monkeypatch):
    """The same too-weak update again would be refused again (deterministic training): it is skipped
    without training. A broken one is repeated at half the learning rate."""
    seen = _judged_in_turn(monkeypatch, [WEAK, MALFORMED, MALFORMED, MALFORMED, GOOD])
    learner = Learner(tiny_policy, LearnerSettings(steps=2, shrink_tries=2))
    first, again = learner.update(stuck_steps()), learner.update(stuck_steps())
    assert (first.accepted, first.steps) == (False, 2)
    assert (again.accepted, again.steps, again.lr) == (False, 0, learner.lr)
    assert again.reason.startswith("skipped: the same update was refused as too weak")
    assert len(seen) == 1, "the repeat was neither trained nor judged"
    broken = Learner(tiny_policy, LearnerSettings(steps=2, shrink_tries=2))
    rates = [broken.update(stuck_steps()).lr for _ in range(2)]
    assert rates == [broken.lr, broken.lr / 2], "after a broken one: half"


@pytest.mark.parametrize(("verdicts", "accepted", "weak", "extra"), [
    ([WEAK, WEAK, GOOD], True, False, 4),  # still the failed action after 2 more steps; after 4 it changed
    ([WEAK, MALFORMED], False, False, 2),  # trained on into a loop: refused as broken, not as too weak
    ([WEAK, WEAK, WEAK], False, True, 4),  # the step budget spent, still the failed action
])
def test_a_too_weak_update_trains_on_until_the_action_changes(tiny_policy, monkeypatch, verdicts, accepted, weak,
                                                              extra):
    seen = _judged_in_turn(monkeypatch, verdicts)
    _evidence_moves_at(monkeypatch, 2)  # of 6 steps
    learner = Learner(tiny_policy, LearnerSettings(steps=6, shrink_tries=0, weak_steps=2))
    report = learner.update(stuck_steps())
    assert (report.accepted, report.extra_steps, report.steps) == (accepted, extra, 2 + extra)
    assert len(seen) == len(verdicts) and len(set(seen)) == len(seen), "each judgement saw a further-trained adapter"
    assert tiny_policy.adapter_live == accepted
    assert ("more steps" in report.reason) and (report.reason.startswith("same action") != accepted)
    _judged_in_turn(monkeypatch, [GOOD])
    expected_lr = learner.lr / 2 if not (accepted or weak) else learner.lr
    assert learner.update(stuck_steps()).lr == expected_lr, "only a broken update halves the next try's rate"


OFF_TARGET = Verdict(True, "fine", off_target=True)


@pytest.mark.parametrize(("verdicts", "accepted_after_more"), [
    ([OFF_TARGET, GOOD], True),  # trained on, and now the action writes the correction
    ([OFF_TARGET, MALFORMED], False),  # trained on into a loop: the first accepted state stays
])
def test_an_accepted_update_whose_action_misses_the_correction_trains_on(tiny_policy, monkeypatch, verdicts,
                                                                         accepted_after_more):
    seen = _judged_in_turn(monkeypatch, verdicts)
    _evidence_moves_at(monkeypatch, 3)  # of 6 steps
    learner = Learner(tiny_policy, LearnerSettings(steps=6, shrink_tries=0, off_target_steps=3))
    report = learner.update(stuck_steps())
    assert report.accepted and tiny_policy.adapter_live and report.extra_steps == (3 if accepted_after_more else 0)
    assert seen[1] != seen[0], "the second judgement saw a further-trained adapter"
    size = sum(float(p.detach().abs().sum()) for n, p in tiny_policy.adapter_parameters().items() if "lora_B" in n)
    assert size == pytest.approx(seen[1] if accepted_after_more else seen[0])
    assert ("more steps were refused" in report.reason) != accepted_after_more
    assert report.steps == (6 if accepted_after_more else 3)
    off = Learner(tiny_policy, LearnerSettings(steps=6, shrink_tries=0))
    _judged_in_turn(monkeypatch, [OFF_TARGET])
    _evidence_moves_at(monkeypatch, 3)
    assert off.update(stuck_steps()).extra_steps == 0  # off by default
    # Over the KL budget on the more steps: training goes back to its last state within it, which is
    # before the judged one; the judged state stays.
    _judged_in_turn(monkeypatch, [OFF_TARGET])
    _evidence_moves_at(monkeypatch, 7)  # of 10 steps
    kls = iter([0.1, 0.1] + [5.0] * 5)  # within budget at steps 5 and 7, over it at step 10 and at 9…6
    monkeypatch.setattr("unstuck.learn.learner.canary_kl", lambda *_args: next(kls))
    over = Learner(tiny_policy, LearnerSettings(steps=10, kl_every=5, shrink_tries=0, off_target_steps=3))
    report = over.update(stuck_steps())
    assert report.accepted and report.steps == 7 and report.extra_steps == 0 and "over the KL budget" in report.reason


def test_past_the_kl_budget_the_latest_step_within_it_is_kept(tiny_policy, monkeypatch):
    """KL is measured every 5 steps; over the budget at step 10, steps 9, 8… are measured newest first
    and the first within it is what the guard judges (not step 5, the last one measured before)."""
    seen = _judged_in_turn(monkeypatch, [GOOD])
    monkeypatch.setattr(Learner, "_moved_evidence", lambda self, before, examples: None)
    kls = iter([0.1, 5.0, 3.0, 0.5])  # step 5 within, step 10 over, step 9 over, step 8 within
    monkeypatch.setattr("unstuck.learn.learner.canary_kl", lambda *_args: next(kls))
    report = Learner(tiny_policy, LearnerSettings(steps=10, kl_every=5, shrink_tries=0)).update(stuck_steps())
    assert (report.accepted, report.steps, report.kl) == (True, 8, 0.5)
    assert report.stopped_early == "KL 5.000 over the budget at step 10"
    # The state judged is step 8's: training the same way for 8 steps gives the same adapter.
    monkeypatch.setattr("unstuck.learn.learner.canary_kl", lambda *_args: 0.1)
    again = _judged_in_turn(monkeypatch, [GOOD])
    Learner(tiny_policy, LearnerSettings(steps=8, kl_every=100, shrink_tries=0)).update(stuck_steps())
    assert again[0] == pytest.approx(seen[0])


def test_an_action_writes_the_correction_when_it_has_every_line_the_correction_changes():
    from unstuck.learn.guard import writes_correction

    failed = '```python\ndef greet(name):\n    return f"Hello, {name}!"\n```\n'
    corrected = failed.replace("Hello", "Ahoy")
    assert writes_correction(corrected, failed, corrected)
    assert writes_correction(corrected.replace("def greet", "def  greet") + "# done\n", failed, corrected)
    assert not writes_correction(failed, failed, corrected)
    assert not writes_correction(failed.replace("Hello", "Hi"), failed, corrected)
    assert not writes_correction(corrected, failed, failed)  # nothing to write


def test_the_probe_tells_the_failed_action_again_from_a_changed_one(tiny_policy):
    from tests.stuck_greet import stuck_probe

    probe = stuck_probe(tiny_policy)
    assert probe.unchanged(FAILED_ACTION) and probe.unchanged("  " + FAILED_ACTION + "\n")
    assert not probe.unchanged(FAILED_ACTION.replace("Hello", "Ahoy"))
    assert not probe.unchanged("I think the test is wrong.")
    before, after = Evidence(-2.0, -0.1), Evidence(-0.2, -1.5)
    assert judge(0.1, 1.0, None, before, after).accepted
    verdict = judge(0.1, 1.0, None, before, after, unchanged=True)
    assert (verdict.accepted, verdict.weak) == (False, True) and "does not change the agent's action" in verdict.reason


def test_scores_after_one_shared_context_equal_scores_taken_one_by_one(tiny_policy):
    _scramble(tiny_policy)
    completions = ['Ahoy, {name}!"', 'Hello', "", "x = 1\n    return x"]
    shared = tiny_policy.logprobs(PROMPT, completions, prefix="    return f\"", window=128)
    alone = [tiny_policy.logprob(PROMPT, c, prefix="    return f\"", window=128) for c in completions]
    assert shared == pytest.approx(alone, abs=1e-4)
    assert len(set(shared)) == len(shared), "the cache was cut back to the context after each completion"


def test_a_span_after_a_prefix_is_tokenised_as_the_model_writes_the_whole_text(tiny_policy):
    """Seen on mill's stone_output: ``hours * `` + ``STONES`` encoded apart ends the context on a bare space and
    starts the span on ``ST``, a split the model never writes; the update left the action it writes as it was."""
    prefix, span = "    return hours * ", "STONES * 40"
    given, target = tiny_policy.encode_after(prefix, span)
    assert given + target == tiny_policy.encode(prefix + span)
    assert tiny_policy.tokenizer.decode(target[:1]) == " ST" and tiny_policy.tokenizer.decode(given).endswith(" *")
    assert tiny_policy.encode_after("", span) == ([], tiny_policy.encode(span))
    _scramble(tiny_policy)  # a prefix cut at different places before two completions: scored one by one
    assert tiny_policy.encode_after(prefix, "40")[0] != given
    shared = tiny_policy.logprobs(PROMPT, [span, "40"], prefix=prefix, window=128)
    assert shared == pytest.approx([tiny_policy.logprob(PROMPT, c, prefix=prefix, window=128)
                                    for c in (span, "40")], abs=1e-4)


def test_training_measures_the_action_only_once_the_truth_is_believed(tiny_policy, monkeypatch):
    """The truth is cheap to measure and moves last: on steps where it is not yet believed, the
    failed action's spans (a pass over the agent's prompt) are not measured."""
    measured = {"spans": 0}
    spans = tiny_policy.logprobs

    def counted(*args, **kwargs):
        measured["spans"] += 1
        return spans(*args, **kwargs)

    monkeypatch.setattr(tiny_policy, "logprobs", counted)
    report = Learner(tiny_policy, LearnerSettings(steps=6, shrink_tries=0)).update(stuck_steps())
    assert report.evidence_after["truth_logprob"] < math.log(0.5), "a random model does not believe it"
    assert report.steps == 6 and measured["spans"] == 2, "once before training, once in the guard"

    # Once it has moved, training stops and the guard judges on the evidence just measured.
    monkeypatch.setattr(Learner, "_truth", lambda self, examples: 0.0)
    monkeypatch.setattr(Learner, "_moved", lambda self, before, now: True)
    measured["spans"] = 0
    report = Learner(tiny_policy, LearnerSettings(steps=6, shrink_tries=0)).update(stuck_steps())
    assert report.stopped_early == "the evidence moved at step 1"
    assert measured["spans"] == 2, "once before training, once at step 1: not again in the guard"


def test_greedy_actions_decode_with_prompt_lookup_to_the_same_text_streamed_up_to_the_stop(embedded_policy):
    from unstuck.actions import ACTION_STOP

    streamed: list[str] = []
    drafted = embedded_policy.generate(PROMPT, max_new_tokens=160, stop=[ACTION_STOP], on_text=streamed.append)
    plain = embedded_policy.generate(PROMPT, max_new_tokens=160, stop=[ACTION_STOP], prompt_lookup=0)
    assert drafted == plain and drafted.endswith(ACTION_STOP)
    assert "".join(streamed) == drafted  # nothing past the stop reaches the screen


def test_from_live_trains_on_from_the_live_adapter_not_a_fresh_one(tiny_policy):
    """``from_live``: a stuck update after an accepted one starts where that one left the adapter."""

    def distance_after_one_step(from_live: bool) -> float:
        _scramble(tiny_policy)
        live = {name: value.clone() for name, value in tiny_policy.adapter_parameters().items()}
        seen: list[float] = []

        def on_step(*_):
            params = tiny_policy.adapter_parameters()
            seen.append(max(float((params[n] - v).abs().max()) for n, v in live.items()))

        settings = LearnerSettings(steps=1, evidence_every=0, from_live=from_live, shrink_tries=0)
        Learner(tiny_policy, settings).update(stuck_steps(), on_step=on_step)
        return seen[0]

    assert 0 < distance_after_one_step(True) < 0.1  # one small step from the live adapter
    assert distance_after_one_step(False) > 0.1  # a fresh adapter (LoRA's B at zero): far from the live one
