"""One belief update: examples from a stuck slice → fresh LoRA → collapse guard → live or rolled back."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..control import Cancelled
from ..policy import Policy
from ..trajectory import Step
from .examples import LONG_KINDS, Example, ExampleSet, build_examples, taught_examples
from .guard import (
    BELIEVED,
    Evidence,
    FormatProbe,
    Verdict,
    canary_kl,
    judge,
    malformed_canaries,
    read_probe,
)
from .lora import MAX_PROMPT, example_loss

EMBEDDED_LR = 1e-3  # measured: what moves the 135M embedded model within 30 steps (docs/design.md)
DEFAULT_LR = 1e-4


@dataclass
class LearnerSettings:
    """How one update trains and what the guard allows."""

    steps: int = 30
    """Most optimizer steps per update (training stops earlier once the evidence has moved)."""
    evidence_every: int = 1
    """Measure the evidence every this many steps; stop once the revealed truth is believed
    (p ≥ ½ per token) and the failed action has become ``unlikely_margin`` less likely. 0: never."""
    unlikely_margin: float = 1.0
    """How far (nats per token) the failed action's log-prob must fall before training may stop early."""
    lr: float | None = None
    """AdamW learning rate; None picks per model (1e-3 for the embedded 135M, 1e-4 otherwise)."""
    batch_size: int = 1
    """Short question → answer examples per step (measured: on a 2-core CPU a step costs about
    0.5 s plus 10 ms per token, so small batches keep the default budget within a minute)."""
    clip: float = 1.0
    """Gradient-norm clip."""
    seconds: float = 120.0
    """Wall-clock budget for the training steps; training stops early past it."""
    kl_budget: float = 1.0
    """Most mean per-token KL(adapter ‖ base) on canary prompts an accepted update may have."""
    kl_every: int = 5
    """Measure KL every this many steps and stop early past the budget; the state kept is then the latest
    step in between that is within it (measured newest first), else the last one measured."""
    negative_weight: float = 0.1
    """Weight of the unlikelihood term on the failed action and the wrong belief."""
    localise_failed_action: bool = True
    """Where the failed action cannot be relabelled, unlearn only the body of the function the revealed
    facts are about, not the whole reply (its fences and unchanged lines are every code reply's too)."""
    context_tokens: int = MAX_PROMPT
    """Tokens of the agent's prompt (its end) an in-context example trains on and the evidence is
    read in; the rest is cut (training cost grows with length)."""
    context_every: int = 2
    """Every this many steps, one long in-context example (hindsight, corrected or failed action)."""
    canary_tokens: int = 12
    """Tokens generated per canary when checking outputs are still well formed (the agent's
    action-format probe sets its own limit: a whole action)."""
    shrink_tries: int = 2
    """Where the guard finds the adapter's output malformed, scale the adapter's change (its LoRA B
    matrices) back toward the base and judge again, at most this many times: first to half, then
    half-way between the strongest scale found too weak (0 at first) and the weakest found malformed
    (halving alone, measured on the dev slices: 17/18 accepted against 12/18; docs/results.md)."""
    require_change: bool = True
    """Reject an update after which the agent's last prompt still gives the failed action (it would
    change nothing the agent does next); a scaled-down adapter found so is judged half-way back up."""
    off_target_steps: int = 0
    """Where an accepted update at full strength has the agent's last prompt give an action that does
    not write the correction (the relabelled action's changed lines), train this many more steps from
    where it is (within ``steps`` in all) and judge again; the result is kept only if the guard
    accepts it, else the first accepted state stays. 0: off."""
    weak_steps: int = 5
    """Where the agent's last prompt still gives the failed action after a full-strength update (too
    weak), train this many more steps from where it is and judge again, round after round within
    ``steps`` in all, until the action changes or the guard refuses for another reason. Without it
    the next stuck verdict trains the same update again and is refused the same way (training is
    deterministic). 0: off."""
    corrected_hunks: bool = False
    """Train each place where the relabelled action changes the failed one as a positive of its own (the
    corrected action given up to there), beside the whole corrected action (``examples.corrected_hunks``)."""
    from_live: bool = False
    """Train a stuck verdict's update on from the live adapter (an earlier accepted update) instead of a
    fresh one from the base: the fact it taught stays, and the steps go to the action it still got wrong
    (the KL budget still counts from the base). A trial, off by default."""
    seed: int = 0


@dataclass
class UpdateReport:
    """What one update did, accepted or rolled back, and why."""

    accepted: bool
    reason: str
    steps: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    loss_before: float | None = None
    loss_after: float | None = None
    kl: float | None = None
    evidence_before: dict[str, float | None] = field(default_factory=dict)
    evidence_after: dict[str, float | None] = field(default_factory=dict)
    n_examples: int = 0
    truths: list[str] = field(default_factory=list)
    lr: float = 0.0
    stopped_early: str | None = None
    cancelled: bool = False
    """The run was cancelled mid-update; the adapter was rolled back."""
    source: str = "stuck"
    """``stuck`` (a verdict's slice) or ``teach`` (the manager's statement)."""
    shrunk: int = 0
    """How many times the adapter's change was rescaled after a malformed or too-weak verdict."""
    scale: float = 1.0
    """The share of its trained change the judged adapter kept (1: as trained)."""
    writes_fix: bool | None = None
    """After the update, the agent's last prompt gives an action that writes the correction (None: no
    correction, or not judged that far)."""
    skipped: bool = False
    """Not trained: the same update was refused as too weak before (no seconds spent; not counted as an
    update on the bench)."""
    extra_steps: int = 0
    """Steps trained after the first judgement: its action was still the failed one (``weak_steps``) or,
    accepted, did not write the correction (``off_target_steps``; counted only where accepted again)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


StepCallback = Callable[[int, float, float | None], None]


class Learner:
    """Trains the policy's LoRA slot on stuck slices; keeps model and optimizer warm."""

    def __init__(
        self,
        policy: Policy,
        settings: LearnerSettings | None = None,
        format_probe: FormatProbe | None = None,
    ) -> None:
        import torch

        self.policy = policy
        self.settings = settings or LearnerSettings()
        self.format_probe = format_probe
        self.lr = self.settings.lr or (EMBEDDED_LR if "SmolLM2-135M" in policy.loaded.name else DEFAULT_LR)
        self.optimizer = torch.optim.AdamW(list(policy.adapter_parameters().values()), lr=self.lr, weight_decay=0.0)
        self._base_kl_cache: dict[str, object] = {}
        self._rolled_back: Counter[str] = Counter()
        """Rolled-back updates by the fingerprint of their examples: the same update again would
        fail the same way (training is deterministic), so each repeat halves the learning rate."""
        self._too_weak: set[str] = set()
        """Fingerprints of updates refused as too weak: a weaker repeat cannot help and the same one
        would be refused again, so a repeat is skipped (no training, no seconds spent)."""
        self._torch = torch

    def teach(
        self, statement: str, subject: str = "the code", on_step: StepCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> UpdateReport:
        """A guarded update whose truth is ``statement`` (the manager's words): same guard, same report."""
        return self.update([], on_step=on_step, examples=taught_examples(statement, subject), cancel=cancel,
                           source="teach")

    def update(
        self, steps: list[Step], replay: list[Example] | None = None, on_step: StepCallback | None = None,
        examples: ExampleSet | None = None, cancel: threading.Event | None = None, source: str = "stuck",
    ) -> UpdateReport:
        """Learn from ``steps``; never raises for bad data — a rollback report says why.

        ``cancel`` set stops training before the next optimizer step (or the guard's generation)
        and rolls back; the report says ``cancelled``.
        """
        started = time.perf_counter()
        timings: dict[str, float] = {}
        examples = examples or build_examples(steps, replay, self.settings.negative_weight,
                                               localise_failed_action=self.settings.localise_failed_action,
                                               hunks=self.settings.corrected_hunks)
        timings["examples"] = time.perf_counter() - started
        fingerprint = examples.fingerprint()
        report = UpdateReport(False, "", n_examples=len(examples.positives) + len(examples.negatives),
                              truths=[t.statement for t in examples.truths],
                              lr=self.lr * 0.5 ** self._rolled_back[fingerprint], source=source)
        if not examples.learnable:
            report.reason = "nothing learnable: the failures reveal no fact to train on"
            return self._finish(report, started, timings)
        if fingerprint in self._too_weak and source == "stuck":
            report.reason = ("skipped: the same update was refused as too weak before (training is deterministic, "
                             "so it would be again)")
            report.skipped = True
            return self._finish(report, started, timings)
        prior, prior_live = self.policy.snapshot_adapter(), self.policy.adapter_live
        weak = False
        try:
            before = self._evidence(examples)
            moved = self._train(examples, before, report, timings, on_step, cancel)
            mark = time.perf_counter()
            verdict = self._rescaled(self._guard(examples, before, report, cancel, report.kl, moved),
                                     examples, before, report, cancel)
            verdict = self._until_changed(verdict, examples, before, report, timings, on_step, cancel)
            verdict = self._on_target(verdict, examples, before, report, timings, on_step, cancel)
            report.accepted, report.reason, weak = verdict.accepted, verdict.reason, verdict.weak
            if report.shrunk:
                report.reason += f" (at {report.scale:g} of its trained strength)"
                if verdict.why_at_full:
                    report.reason += f"; at full strength: {verdict.why_at_full}"
            timings["guard"] = time.perf_counter() - mark
        except _Abort as abort:
            report.accepted, report.reason = False, str(abort)
        except Cancelled:
            report.accepted, report.reason, report.cancelled = False, "cancelled; rolled back", True
        except RuntimeError as error:  # out of memory and friends: roll back, never crash the caller
            if "out of memory" not in str(error).lower():
                raise
            report.accepted, report.reason = False, "out of memory while training; rolled back"
        mark = time.perf_counter()
        if not report.accepted:
            self.policy.restore_adapter(prior, prior_live)
            # Training is deterministic, so the same update fails the same way again: a too-weak one is skipped
            # (a weaker repeat cannot help; one that trains differently is not tried yet), a broken one halved.
            if not report.cancelled:
                if weak:
                    self._too_weak.add(fingerprint)
                else:
                    self._rolled_back[fingerprint] += 1
        timings["swap"] = time.perf_counter() - mark
        return self._finish(report, started, timings)

    def _rescaled(self, verdict: Verdict, examples: ExampleSet, before: Evidence, report: UpdateReport,
                  cancel: threading.Event | None) -> Verdict:
        """Search the adapter's strength between too weak and malformed (``shrink_tries`` judgements)."""
        weak, broken, first = 0.0, 1.0, verdict
        for _ in range(self.settings.shrink_tries):
            if verdict.malformed:
                broken = report.scale
            elif verdict.weak and report.scale < 1.0:
                weak = report.scale
            else:
                break
            scale = (weak + broken) / 2
            self.policy.scale_adapter(scale / report.scale)
            report.scale, report.shrunk = scale, report.shrunk + 1
            verdict = self._guard(examples, before, report, cancel)
        if report.shrunk and not verdict.accepted:
            verdict.why_at_full = first.reason
        return verdict

    def _until_changed(self, verdict: Verdict, examples: ExampleSet, before: Evidence, report: UpdateReport,
                       timings: dict[str, float], on_step: StepCallback | None,
                       cancel: threading.Event | None) -> Verdict:
        """A full-strength update after which the agent's action is still the failed one trains
        ``weak_steps`` more at a time and is judged again, until the guard accepts it, refuses it for
        another reason (the reason says both), or the step budget is spent."""
        first = verdict
        while verdict.weak and report.scale == 1.0:
            more = min(self.settings.weak_steps, self.settings.steps - report.steps)
            if more <= 0:
                break
            judged = report.steps
            self._train(examples, before, report, timings, on_step, cancel, more=more)
            if report.steps <= judged:  # over the KL budget: no stronger state within it
                break
            report.extra_steps += report.steps - judged
            verdict = self._guard(examples, before, report, cancel, report.kl)
        if not report.extra_steps:
            return first
        if verdict.accepted:
            return Verdict(True, f"{verdict.reason} (after {report.extra_steps} more steps: the action was still "
                           "the failed one)", off_target=verdict.off_target)
        return Verdict(False, f"{first.reason}; after {report.extra_steps} more steps: {verdict.reason}",
                       weak=verdict.weak, malformed=verdict.malformed)

    def _on_target(self, verdict: Verdict, examples: ExampleSet, before: Evidence, report: UpdateReport,
                   timings: dict[str, float], on_step: StepCallback | None, cancel: threading.Event | None) -> Verdict:
        """An accepted full-strength update whose next action does not write the correction trains
        ``off_target_steps`` more and is judged again; if the guard refuses that, the accepted state stays."""
        more = min(self.settings.off_target_steps, self.settings.steps - report.steps)  # within the step budget
        if not (more > 0 and verdict.accepted and verdict.off_target and report.scale == 1.0):
            return verdict
        kept = self.policy.snapshot_adapter()
        judged = (report.steps, report.kl, report.evidence_after, report.writes_fix, report.stopped_early)
        self._train(examples, before, report, timings, on_step, cancel, more=more)
        if report.steps <= judged[0]:  # over the KL budget: training went back to a state before the judged one
            why = f"{more} more steps went over the KL budget"
        else:
            again = self._guard(examples, before, report, cancel, report.kl)  # KL as measured on the last step
            if again.accepted:
                report.extra_steps = report.steps - judged[0]
                return Verdict(True, again.reason + f" (after {report.extra_steps} more steps: the action did not "
                               "write the correction)", off_target=again.off_target)
            why = f"{report.steps - judged[0]} more steps were refused: {again.reason}"
        self.policy.restore_adapter(kept, live=True)
        report.steps, report.kl, report.evidence_after, report.writes_fix, report.stopped_early = judged
        return Verdict(True, f"{verdict.reason} ({why}; the first accepted state stays)", off_target=True)

    def _guard(self, examples: ExampleSet, before: Evidence, report: UpdateReport,
               cancel: threading.Event | None, measured_kl: float | None = None,
               measured: Evidence | None = None) -> Verdict:
        """Judge the adapter as it is now: KL, canaries, the format probe, the evidence (into ``report``).
        ``measured_kl``, ``measured``: already measured on the adapter as it is now."""
        report.kl = measured_kl if measured_kl is not None else canary_kl(self.policy, self._base_kl_cache)
        after = measured or self._evidence(examples)
        malformed, unchanged = None, False
        if report.kl <= self.settings.kl_budget:
            malformed = malformed_canaries(self.policy, self.settings.canary_tokens)
            if malformed is None and self.format_probe is not None:
                reading = read_probe(self.policy, self.format_probe, cancel, examples.relabelled)
                malformed, report.writes_fix = reading.problem, reading.writes_fix
                unchanged = (reading.unchanged and self.settings.require_change and report.source == "stuck"
                             and examples.failed_action is not None)
        report.evidence_before, report.evidence_after = before.to_dict(), after.to_dict()
        return judge(report.kl, self.settings.kl_budget, malformed, before, after, unchanged,
                     off_target=report.writes_fix is False)

    def _finish(self, report: UpdateReport, started: float, timings: dict[str, float]) -> UpdateReport:
        report.seconds = time.perf_counter() - started
        report.timings = {k: round(v, 3) for k, v in timings.items()}
        return report

    def _evidence(self, examples: ExampleSet, truth: float | None = None) -> Evidence:
        """Everything the update is meant to move (``truth``: already measured on the adapter as it is)."""
        truth = truth if truth is not None else self._truth(examples)
        failed, corrected = examples.failed_action, examples.corrected_span
        if failed is None:
            return Evidence(truth, None)
        # In the context window the update trained on (the whole agent prompt would cost seconds per
        # probe); the corrected span continues the failed action's context, which runs once for both.
        spans = self.policy.logprobs(failed.messages, [failed.target] + ([corrected.target] if corrected else []),
                                     prefix=failed.prefix, window=self.settings.context_tokens)
        return Evidence(truth, *spans)

    def _truth(self, examples: ExampleSet) -> float | None:
        probes = examples.truth_probes()
        return sum(self.policy.logprob(e.messages, e.target) for e in probes) / len(probes) if probes else None

    def _train(self, examples: ExampleSet, before: Evidence, report: UpdateReport, timings: dict[str, float],
               on_step: StepCallback | None, cancel: threading.Event | None, more: int = 0) -> Evidence | None:
        """Fresh adapter, then optimizer steps until the evidence moved, the KL budget or the step budget.
        Returns the evidence that stopped it, if it did (measured on the adapter as it is now).
        ``more``: instead, train that many more steps from where the adapter is (KL budget only)."""
        settings, policy = self.settings, self.policy
        mark = time.perf_counter()
        if not more:
            if not (settings.from_live and policy.adapter_live and report.source == "stuck"):
                policy.reset_adapter()
            policy.adapter_live = True
            self.optimizer.state.clear()
            for group in self.optimizer.param_groups:
                group["lr"] = report.lr
            self._safe_state, self._safe_step = policy.snapshot_adapter(), 0
        self._since_safe: list[tuple[int, object]] = []
        schedule = _Schedule(examples, settings)
        first, last = (report.steps + 1, report.steps + more) if more else (1, settings.steps)
        moved = None
        for step in range(first, last + 1):
            value = self._step(*schedule.batch(step), step, cancel)
            if report.loss_before is None:
                report.loss_before = value
            report.steps, report.loss_after = step, value
            kl, stop, moved = self._checkpoint(step, examples, before, report, last, evidence=not more)
            if on_step:
                on_step(step, value, kl)
            if stop is None and time.perf_counter() - mark > settings.seconds:
                stop = f"wall-clock budget of {settings.seconds:g} s reached at step {step}"
            if stop is not None:
                report.stopped_early = stop
                break
        timings["training"] = timings.get("training", 0.0) + time.perf_counter() - mark
        return moved

    def _step(self, positives: list[Example], negatives: list[Example], step: int,
              cancel: threading.Event | None) -> float:
        """One optimizer step; ``Cancelled`` before the forward or the backward pass when asked."""
        if cancel is not None and cancel.is_set():
            raise Cancelled("learning")
        loss = example_loss(self.policy, positives + negatives, self.settings.context_tokens)
        value = loss.item()
        if not math.isfinite(value):
            raise _Abort(f"the loss became {value} at step {step}; rolled back")
        if cancel is not None and cancel.is_set():
            raise Cancelled("learning")
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self._torch.nn.utils.clip_grad_norm_(list(self.policy.adapter_parameters().values()), self.settings.clip)
        self.optimizer.step()
        return value

    def _checkpoint(self, step: int, examples: ExampleSet, before: Evidence, report: UpdateReport,
                    last_step: int, evidence: bool = True) -> tuple[float | None, str | None, Evidence | None]:
        """(KL if measured, why to stop or None, the evidence if it moved). Past the KL budget the last
        state within it comes back; once the evidence moved (and KL is within budget) training has
        done its job (``evidence``: look for that)."""
        settings, policy = self.settings, self.policy
        report.kl = None
        kl = None
        last = step == last_step
        if step % settings.kl_every == 0 or last:
            kl = canary_kl(policy, self._base_kl_cache)
            if kl > settings.kl_budget or not math.isfinite(kl):
                kept = self._last_within_budget()  # the guard judges that state
                if kept is not None:
                    report.steps, report.kl = kept
                return kl, f"KL {kl:.3f} over the budget at step {step}", None
            self._safe_state, self._safe_step, self._since_safe = policy.snapshot_adapter(), step, []
            report.kl = kl
        else:
            self._since_safe.append((step, policy.snapshot_adapter()))
        if evidence and settings.evidence_every and step % settings.evidence_every == 0 and not last:
            now = self._moved_evidence(before, examples)
            if now is not None:
                kl = kl if kl is not None else canary_kl(policy, self._base_kl_cache)
                if kl <= settings.kl_budget:
                    report.kl = kl
                    return kl, f"the evidence moved at step {step}", now
        return kl, None, None

    def _last_within_budget(self) -> tuple[int, float | None] | None:
        """Past the KL budget: back to the latest state since the last measured one that is within it
        (newest first, one KL pass each), else to that measured one: (step, its KL if measured) of the
        state kept. None where there is none (the adapter stays over the budget; the guard refuses it)."""
        policy = self.policy
        for step, state in reversed(self._since_safe):
            policy.restore_adapter(state, live=True)
            kl = canary_kl(policy, self._base_kl_cache)
            if math.isfinite(kl) and kl <= self.settings.kl_budget:
                return step, kl
        if not self._safe_step:
            return None
        policy.restore_adapter(self._safe_state, live=True)
        return self._safe_step, None

    def _moved_evidence(self, before: Evidence, examples: ExampleSet) -> Evidence | None:
        """The evidence now if training has done what it is for, else None. The truth, cheapest to
        measure and in practice the last to move, is measured first: the action's spans (a pass
        over the agent's prompt) only once the truth is believed."""
        truth = self._truth(examples)
        if truth is not None and truth < BELIEVED:
            return None
        now = self._evidence(examples, truth)
        return now if self._moved(before, now) else None

    def _moved(self, before: Evidence, now: Evidence) -> bool:
        """Has training done what it is for: the truth believed, the failed action less likely — and,
        where the action could be relabelled, the correction now the likelier continuation?"""
        if now.truth is not None and now.truth < BELIEVED:
            return False
        if now.prefers_correction is False:
            return False
        if before.failed_action is not None and now.failed_action is not None:
            return now.failed_action <= before.failed_action - self.settings.unlikely_margin
        return now.truth is not None


class _Schedule:
    """Which examples each step trains on, length-bucketed so that a step pads little.

    Short question → answer pairs (with the wrong-belief negatives every other time) and, every
    ``context_every`` steps, one long in-context example (hindsight, the corrected action, replay,
    or the failed action as a negative) in its own step.
    """

    def __init__(self, examples: ExampleSet, settings: LearnerSettings) -> None:
        self.settings = settings
        self.rng = random.Random(settings.seed)
        self.short = [e for e in examples.positives if e.kind not in LONG_KINDS]
        self.long = [e for e in examples.positives if e.kind in LONG_KINDS]
        if examples.failed_action is not None:
            self.long.append(examples.failed_action)
        self.short_negatives = [e for e in examples.negatives if e is not examples.failed_action]
        self._short: list[Example] = []
        self._long: list[Example] = []
        self.short_steps = 0

    def _take(self, pool: list[Example], queue: list[Example], n: int) -> list[Example]:
        while len(queue) < n:
            batch = list(pool)
            self.rng.shuffle(batch)
            queue.extend(batch)
        taken, queue[:] = queue[:n], queue[n:]
        return taken

    def batch(self, step: int) -> tuple[list[Example], list[Example]]:
        """(positives, negatives) for ``step``."""
        if self.long and (step % self.settings.context_every == 0 or not self.short):
            example = self._take(self.long, self._long, 1)
            return ([], example) if example[0].negative else (example, [])
        self.short_steps += 1
        negatives = self.short_negatives if self.short_steps % 2 == 0 else []
        return self._take(self.short, self._short, self.settings.batch_size), list(negatives)


class _Abort(Exception):
    """Stop this update and roll back; the message says why."""
