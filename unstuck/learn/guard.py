"""The collapse guard: an update stays only if it stayed close to the base and did what it meant to.

The tests: KL(adapter ‖ base) on canary prompts within budget (base through
``disable_adapter()``, no second model); canary answers and the agent's action-format probe still
well formed; the evidence moved (the revealed truth more likely — or, already believed, still
believed — and the failed action less likely); and, where the agent's last action failed, its last
prompt no longer gives that action (an update that leaves it would change nothing the agent does).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..patching import changed_hunks
from ..policy import Messages, Policy

# Unrelated prompts with fixed answers: KL is measured at every answer position.
CANARIES: tuple[tuple[list[dict[str, str]], str], ...] = (
    ([{"role": "user", "content": "Write a Python function that returns the largest item of a list."}],
     "```python\ndef largest(items):\n    return max(items)\n```"),
    ([{"role": "user", "content": "What does `git status` show?"}],
     "It shows which files are modified, staged or untracked in the working tree."),
    ([{"role": "user", "content": "Explain a Python list comprehension in one sentence."}],
     "A list comprehension builds a new list from an iterable in a single expression."),
)


BELIEVED = -math.log(2)
"""Mean per-token log-prob at or above which a fact counts as already believed (p ≥ 1/2)."""


@dataclass
class Evidence:
    """Mean per-token log-probs the update is meant to move."""

    truth: float | None
    failed_action: float | None
    corrected: float | None = None
    """The relabelled action's differing span, where there is one (same prefix as the failed one's)."""

    def to_dict(self) -> dict[str, float | None]:
        return {"truth_logprob": self.truth, "failed_action_logprob": self.failed_action,
                "corrected_logprob": self.corrected}

    @property
    def prefers_correction(self) -> bool | None:
        """At the point where the two differ, is the corrected continuation the likelier? None: no pair."""
        if self.corrected is None or self.failed_action is None:
            return None
        return self.corrected > self.failed_action


@dataclass
class Verdict:
    accepted: bool
    reason: str
    malformed: bool = False
    """Rejected for what the adapter generates (canaries, the format probe), not for KL or evidence."""
    weak: bool = False
    """Rejected because the agent's last prompt still gives the failed action: too weak, not broken."""
    off_target: bool = False
    """Accepted, but the agent's last prompt gives an action that does not write the correction."""
    why_at_full: str | None = None
    """Refused after the adapter was scaled down: why it was refused at full strength."""


def canary_kl(policy: Policy, base_cache: dict[int, object] | None = None) -> float:
    """Mean per-token KL(adapter ‖ base) over the canary answers (one batched pass each side)."""
    import torch

    rows, spans = [], []
    for messages, answer in CANARIES:
        prompt = policy.prompt_ids(messages)
        ids = prompt + policy.encode(answer)
        rows.append(ids)
        spans.append(slice(len(prompt) - 1, len(ids) - 1))
    width = max(len(r) for r in rows)
    pad = policy.tokenizer.pad_token_id
    input_ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows], device=policy.device)
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows], device=policy.device)

    def answer_logprobs() -> list[object]:
        logits = policy.model(input_ids=input_ids, attention_mask=mask).logits
        return [torch.log_softmax(logits[i, span].float(), -1) for i, span in enumerate(spans)]

    with torch.no_grad():
        if base_cache is not None and "base" in base_cache:
            base = base_cache["base"]
        else:
            with policy.base():
                base = answer_logprobs()
            if base_cache is not None:
                base_cache["base"] = base
        adapted = answer_logprobs()
    total = sum(float((a.exp() * (a - b)).sum()) for a, b in zip(adapted, base, strict=True))
    count = sum(a.shape[0] for a in adapted)
    return total / max(count, 1)


def degenerate(text: str) -> str | None:
    """Why a generated text is malformed (empty, a repetition loop), or None if it looks sane."""
    words = re.findall(r"\S+", text)
    if not words:
        return "empty output"
    run = longest = 1
    for previous, current in zip(words, words[1:], strict=False):
        run = run + 1 if current == previous else 1
        longest = max(longest, run)
    if longest >= 6:
        return f"a word repeated {longest} times in a row"
    if len(words) >= 12 and len(set(words)) / len(words) < 0.25:
        return "a repetition loop"
    if re.search(r"(.{4,40}?)\1{4,}", text):
        return "a repeated phrase"
    return None


@dataclass
class FormatProbe:
    """The agent's last prompt that produced a valid action, and how to tell a valid reply.

    The guard generates on it as the agent would (greedy, up to ``max_new_tokens``, until a stop
    string), so it sees the whole action: a reply still going at the limit is a repetition loop.
    """

    messages: Messages
    problem: Callable[[str], str | None]
    """Why a reply is not a valid action, or None."""
    max_new_tokens: int = 64
    stop: tuple[str, ...] = ()
    unchanged: Callable[[str], bool] | None = None
    """Whether a reply is the very action the prompt gave before the update (None: not known)."""
    ceiling: int | None = None
    """The agent's own token limit: the probe may run this far to let a correction longer than the
    failed reply be written whole (None: ``max_new_tokens`` is the limit)."""
    runaway: bool = False
    """The reply the prompt gave before the update already ran to the agent's token limit: a reply still
    going at the limit after the update is that loop again (too weak), not damage the update did."""


def malformed_canaries(policy: Policy, max_new_tokens: int) -> str | None:
    """Generate on two canaries in one short batch; say what is broken, if anything."""
    texts = policy.generate_batch([messages for messages, _ in CANARIES[:2]], max_new_tokens=max_new_tokens)
    for text in texts:
        problem = degenerate(text)
        if problem:
            return f"canary answer is malformed ({problem}): {text[:80]!r}"
    return None


UNTOUCHED_SLACK = 2
"""Lines a probe reply may change beyond those the correction changes."""


def untouched_problem(reply: str, failed: str, corrected: str) -> str | None:
    """Why a reply changed lines of the failed action it had no reason to touch (more than the
    correction's own changes, with a little slack), or None."""
    def changed(a: str, b: str) -> set[int]:
        return {line for i1, i2, _, _ in changed_hunks(a.splitlines(), b.splitlines())
                for line in range(i1, max(i2, i1 + 1))}

    extra = changed(failed, reply) - changed(failed, corrected)
    if len(extra) > UNTOUCHED_SLACK:
        return f"it changed {len(extra)} lines of the action that the correction leaves alone"
    return None


def writes_correction(reply: str, failed: str, corrected: str) -> bool:
    """Does ``reply`` write every line the correction changes in the failed action (compared stripped)?"""
    old, new = failed.splitlines(), corrected.splitlines()
    wanted = {new[j].strip() for _, _, j1, j2 in changed_hunks(old, new) for j in range(j1, j2) if new[j].strip()}
    return bool(wanted) and wanted <= {line.strip() for line in reply.splitlines()}


@dataclass
class ProbeReading:
    """What the adapter does on the agent's format probe."""

    problem: str | None
    """Why the reply is not a valid action, or None."""
    unchanged: bool = False
    """The reply is the action the prompt gave before the update: the agent would repeat it."""
    writes_fix: bool | None = None
    """The reply writes the correction's changed lines (None: no correction to compare with)."""


def probe_limit(policy: Policy, probe: FormatProbe, reference: tuple[str, str] | None = None) -> int:
    """Tokens the probe may generate: twice the failed reply's (its ``max_new_tokens``) — or, where the
    correction is longer, twice the correction's, up to the agent's own limit. (A short failed reply
    relabelled from the start file is corrected by the whole file: with the failed reply's limit the
    probe cut off a model writing exactly that and called it a loop — dairy's fat_grams, the dev half's vat.)"""
    if reference is None or probe.ceiling is None:
        return probe.max_new_tokens
    return max(probe.max_new_tokens, min(probe.ceiling, 2 * len(policy.encode(reference[1])) + 16))


def read_probe(policy: Policy, probe: FormatProbe, cancel: threading.Event | None = None,
               reference: tuple[str, str] | None = None) -> ProbeReading:
    """Generate a whole reply on the agent's format probe; say why it is not a valid action, if it is
    not, and whether it is the action the prompt gave before the update.
    ``reference``: (the failed reply, its correction), to catch lines changed for no reason."""
    limit = probe_limit(policy, probe, reference)
    reply = policy.generate(probe.messages, max_new_tokens=limit, stop=probe.stop, cancel=cancel)
    ended = any(reply.endswith(marker) for marker in probe.stop)
    if not ended and len(policy.encode(reply)) >= limit:
        if probe.runaway:
            return ProbeReading(None, unchanged=True, writes_fix=False if reference else None)
        return ProbeReading(f"the action-format probe ran to its {limit}-token limit without "
                            f"finishing its action (a repetition loop?): {reply[-80:]!r}")
    problem = probe.problem(reply)
    if problem:
        return ProbeReading(f"the action-format probe no longer gives a valid action ({problem}): {reply[:80]!r}")
    untouched = untouched_problem(reply, *reference) if reference else None
    if untouched:
        return ProbeReading(f"the action-format probe's action is not a fix of the failed one ({untouched}): "
                            f"{reply[:80]!r}")
    return ProbeReading(None, unchanged=probe.unchanged is not None and probe.unchanged(reply),
                        writes_fix=writes_correction(reply, *reference) if reference else None)


def judge(kl: float, kl_budget: float, malformed: str | None, before: Evidence, after: Evidence,
          unchanged: bool = False, off_target: bool = False) -> Verdict:
    """Accept only if every test passes; the reason names the first that failed. ``unchanged``: the
    agent's last prompt still gives the failed action (checked last: the evidence may have moved).
    ``off_target``: it gives another action that does not write the correction (noted, not refused)."""
    if kl != kl or kl > kl_budget:
        return Verdict(False, f"KL to base {kl:.3f} is over the budget {kl_budget:.3f}")
    if malformed:
        return Verdict(False, malformed, malformed=True)
    # A later update on the same fact starts again from the base, so it need not beat an earlier
    # update's near-certainty; it must keep the fact believed (p ≥ 1/2 per token). Where the truth
    # did not rise, the lower of the two is ``after``.
    if before.truth is not None and after.truth is not None and after.truth <= before.truth and after.truth < BELIEVED:
        return Verdict(False, f"the revealed truth did not become more likely ({before.truth:.3f} → {after.truth:.3f})")
    if (before.failed_action is not None and after.failed_action is not None
            and after.failed_action >= before.failed_action):
        return Verdict(False, "the failed action did not become less likely "
                              f"({before.failed_action:.3f} → {after.failed_action:.3f})")
    if unchanged:
        return Verdict(False, "the update does not change the agent's action: its last prompt still gives "
                              "the failed one", weak=True)
    return Verdict(True, "KL within budget, canaries well formed, evidence moved", off_target=off_target)
