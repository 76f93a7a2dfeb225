"""The collapse guard: an update stays only if it stayed close to the base and did what it meant to.

Three tests: KL(adapter ‖ base) on canary prompts within budget (base through
``disable_adapter()``, no second model); canary answers still well formed; and the evidence
moved (the revealed truth more likely, the failed action less likely).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass
class Evidence:
    """Mean per-token log-probs the update is meant to move."""

    truth: float | None
    failed_action: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"truth_logprob": self.truth, "failed_action_logprob": self.failed_action}


@dataclass
class Verdict:
    accepted: bool
    reason: str


def canary_kl(policy: Policy, base_cache: dict[int, object] | None = None) -> float:
    """Mean per-token KL(adapter ‖ base) over the canary answers."""
    import torch

    total, count = 0.0, 0
    for index, (messages, answer) in enumerate(CANARIES):
        prompt = policy.prompt_ids(messages)
        ids = torch.tensor([prompt + policy.encode(answer)], device=policy.device)
        span = slice(len(prompt) - 1, ids.shape[1] - 1)
        with torch.no_grad():
            if base_cache is not None and index in base_cache:
                base = base_cache[index]
            else:
                with policy.base():
                    base = torch.log_softmax(policy.model(input_ids=ids).logits[0, span].float(), -1)
                if base_cache is not None:
                    base_cache[index] = base
            adapted = torch.log_softmax(policy.model(input_ids=ids).logits[0, span].float(), -1)
        kl = (adapted.exp() * (adapted - base)).sum(-1)
        total += float(kl.sum())
        count += kl.numel()
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


def malformed_canaries(
    policy: Policy, format_probe: tuple[Messages, Callable[[str], bool]] | None, max_new_tokens: int
) -> str | None:
    """Generate on two canaries (and the caller's action-format probe); say what is broken."""
    for messages, _ in CANARIES[:2]:
        text = policy.generate(messages, max_new_tokens=max_new_tokens)
        problem = degenerate(text)
        if problem:
            return f"canary answer is malformed ({problem}): {text[:80]!r}"
    if format_probe is not None:
        messages, is_valid = format_probe
        text = policy.generate(messages, max_new_tokens=max_new_tokens * 3)
        if not is_valid(text):
            return f"the action-format probe no longer gives a valid action: {text[:80]!r}"
    return None


def judge(kl: float, kl_budget: float, malformed: str | None, before: Evidence, after: Evidence) -> Verdict:
    """Accept only if every test passes; the reason names the first that failed."""
    if kl != kl or kl > kl_budget:
        return Verdict(False, f"KL to base {kl:.3f} is over the budget {kl_budget:.3f}")
    if malformed:
        return Verdict(False, malformed)
    if before.truth is not None and after.truth is not None and after.truth <= before.truth:
        return Verdict(False, f"the revealed truth did not become more likely ({before.truth:.3f} → {after.truth:.3f})")
    if (before.failed_action is not None and after.failed_action is not None
            and after.failed_action >= before.failed_action):
        return Verdict(False, "the failed action did not become less likely "
                              f"({before.failed_action:.3f} → {after.failed_action:.3f})")
    return Verdict(True, "KL within budget, canaries well formed, evidence moved")
