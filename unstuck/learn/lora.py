"""The training step: batches of chat examples, loss on target tokens only, bounded unlikelihood."""

from __future__ import annotations

from typing import Any

from ..policy import Policy, continuing, past_of
from .examples import Example

IGNORE = -100
UNLIKELIHOOD_FLOOR = 1e-5  # bounds -log(1 - p): never raw gradient ascent


MAX_PROMPT = 128  # tokens of context kept (the end of it) by default: training cost grows with length
MAX_TARGET = 96
FROZEN_CONTEXT_FROM = 64  # context tokens from which a single example's context runs without gradients


def encode_example(policy: Policy, example: Example, context: int = MAX_PROMPT) -> tuple[list[int], list[int]]:
    """(input ids, labels): the last ``context`` tokens of the rendered context, then the target;
    labels mask the context."""
    given, target = policy.encode_after(example.prefix, example.target)
    target = target[:MAX_TARGET]
    if not example.negative and policy.tokenizer.eos_token_id is not None:
        target = [*target, policy.tokenizer.eos_token_id]  # learn to stop after the answer
    prompt = policy.prompt_ids(example.messages)[-context:]
    prompt += given
    return prompt + target, [IGNORE] * len(prompt) + target


def batch(policy: Policy, examples: list[Example], context: int = MAX_PROMPT) -> dict[str, Any]:
    """Right-padded tensors for a list of examples, with their weights."""
    import torch

    encoded = [encode_example(policy, e, context) for e in examples]
    width = max(len(ids) for ids, _ in encoded)
    pad = policy.tokenizer.pad_token_id
    input_ids = [ids + [pad] * (width - len(ids)) for ids, _ in encoded]
    labels = [lab + [IGNORE] * (width - len(lab)) for _, lab in encoded]
    mask = [[1] * len(ids) + [0] * (width - len(ids)) for ids, _ in encoded]
    device = policy.device
    return {
        "input_ids": torch.tensor(input_ids, device=device),
        "attention_mask": torch.tensor(mask, device=device),
        "labels": torch.tensor(labels, device=device),
        "weights": torch.tensor([e.weight for e in examples], device=device, dtype=torch.float32),
        "negative": torch.tensor([e.negative for e in examples], device=device),
    }


def example_loss(policy: Policy, examples: list[Example], context: int = MAX_PROMPT) -> Any:
    """Weighted mean over examples of the per-token loss on their targets, in one pass.

    Positive examples: cross-entropy. Negative ones: unlikelihood ``-log(1 - p)``, bounded by a
    floor on ``1 - p`` so it cannot blow up.
    """
    import torch

    tensors = batch(policy, examples, context)
    causal_lm = policy.model.get_base_model()
    labels = tensors["labels"][:, 1:]
    mask = labels != IGNORE
    hidden = _hidden_before_labels(causal_lm.get_decoder(), tensors, mask)
    # The output layer only where there is a target: most positions are context.
    logits = causal_lm.get_output_embeddings()(hidden[mask]).float()
    logprobs = torch.log_softmax(logits, dim=-1).gather(1, labels[mask][:, None])[:, 0]
    negative = tensors["negative"][:, None].expand_as(mask)[mask]
    unlikely = -torch.log((1 - logprobs.exp()).clamp(min=UNLIKELIHOOD_FLOOR))
    picked = torch.where(negative, unlikely, -logprobs)
    per_token = torch.zeros(mask.shape, device=picked.device, dtype=picked.dtype).masked_scatter(mask, picked)
    per_example = (per_token * mask).sum(1) / mask.sum(1).clamp(min=1)
    weights = tensors["weights"]
    # Weights are relative to 1: a batch of only negatives keeps their small weight.
    return (per_example * weights).sum() / weights[~tensors["negative"]].sum().clamp(min=1.0)


def _hidden_before_labels(decoder: Any, tensors: dict[str, Any], mask: Any) -> Any:
    """The decoder's hidden states at every position but the last (position i predicts token i+1).

    A single example with a long context runs the context without gradients (through the adapter,
    as it is now) and back-propagates through the target only: the update learns what to say after
    this context, not how to read it, and a step costs about half as much (measured in README).
    """
    import torch

    ids = tensors["input_ids"]
    first = int(mask[0].nonzero()[0]) if ids.shape[0] == 1 and mask.any() else 0
    if first < FROZEN_CONTEXT_FROM:
        return decoder(input_ids=ids, attention_mask=tensors["attention_mask"]).last_hidden_state[:, :-1]
    with torch.no_grad():
        context = decoder(input_ids=ids[:, :first], use_cache=True)
    tail = decoder(input_ids=ids[:, first:-1], **continuing(past_of(context)), use_cache=True).last_hidden_state
    return torch.cat([tail.new_zeros(1, first, tail.shape[-1]), tail], dim=1)
