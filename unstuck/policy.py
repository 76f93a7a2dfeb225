"""The policy: chat-templated generation and scoring on a loaded model, plus its LoRA adapter.

One LoRA slot (``work``) is attached once; a fresh update resets it by copying its initial
tensors back (the model is never re-wrapped), and an accepted update simply stays in it.
Adapters are never merged into the base weights; ``base()`` runs with the adapter disabled.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .control import Cancelled
from .errors import UnstuckError
from .models import LoadedModel

Messages = Sequence[dict[str, str]]
WORK = "work"
PROMPT_LOOKUP_TOKENS = 10
"""Tokens drafted from the prompt per pass in greedy decoding (transformers' prompt lookup): an action
mostly copies the file it is shown, so most drafts are accepted. ``python -m unstuck.bench.generation``
measures it against plain decoding."""


@dataclass(frozen=True)
class LoraSettings:
    """Shape of the LoRA adapter (r=16, α=32, every linear layer, no dropout: docs/design.md)."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.0
    target_modules: str | list[str] = "all-linear"


class PolicyBusy(UnstuckError):
    """Another run holds this policy (one adapter slot: never two runs training it)."""


class Policy:
    """Generates and scores chat completions; owns the model's single LoRA slot."""

    def __init__(self, loaded: LoadedModel, lora: LoraSettings | None = None, max_context: int = 2048) -> None:
        import torch
        from peft import LoraConfig, get_peft_model

        self.loaded = loaded
        self.tokenizer = loaded.tokenizer
        self.device = loaded.device
        self.max_context = max_context
        self.lora = lora or LoraSettings()
        config = LoraConfig(
            r=self.lora.r, lora_alpha=self.lora.alpha, lora_dropout=self.lora.dropout,
            target_modules=self.lora.target_modules, task_type="CAUSAL_LM", bias="none",
        )
        with warnings.catch_warnings():  # peft reads a transformers attribute deprecated in 5.x; not ours to fix
            warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
            self.model = get_peft_model(loaded.model, config, adapter_name=WORK)
        self.model.eval()
        self._initial = {k: v.detach().clone() for k, v in self.adapter_state().items()}
        self.adapter_live = False  # the work slot holds initial (no-op) tensors until an update lands
        self._torch = torch
        self._owner = threading.Lock()
        self.owner: str | None = None
        """What holds the policy now (a run's description), or None."""

    # -- ownership -------------------------------------------------------------------------------

    def claim(self, who: str, wait: float = 0.0) -> None:
        """Take the policy for one run; ``PolicyBusy`` if another run holds it after ``wait`` seconds."""
        acquired = self._owner.acquire(timeout=wait) if wait > 0 else self._owner.acquire(blocking=False)
        if not acquired:
            raise PolicyBusy(f"the model is busy with another run ({self.owner}); wait for it to end or cancel it")
        self.owner = who

    def release(self) -> None:
        self.owner = None
        self._owner.release()

    # -- adapter slot --------------------------------------------------------------------------

    def adapter_parameters(self) -> dict[str, Any]:
        """The trainable LoRA tensors of the work slot, by name."""
        return {n: p for n, p in self.model.named_parameters() if "lora_" in n and f".{WORK}." in n}

    def adapter_state(self) -> dict[str, Any]:
        return {n: p.detach() for n, p in self.adapter_parameters().items()}

    def snapshot_adapter(self) -> dict[str, Any]:
        """A copy of the slot's tensors (to roll back to)."""
        return {n: t.clone() for n, t in self.adapter_state().items()}

    def restore_adapter(self, state: dict[str, Any], live: bool) -> None:
        """Copy ``state`` back into the slot, in place."""
        with self._torch.no_grad():
            for name, param in self.adapter_parameters().items():
                param.copy_(state[name])
        self.adapter_live = live

    def scale_adapter(self, factor: float) -> None:
        """Multiply the slot's change to the base by ``factor`` (its B matrices: the change is B·A)."""
        with self._torch.no_grad():
            for name, param in self.adapter_parameters().items():
                if "lora_B" in name:
                    param.mul_(factor)

    def reset_adapter(self) -> None:
        """Back to a fresh adapter: the initial tensors (B = 0, so the model equals the base)."""
        self.restore_adapter(self._initial, live=False)

    def save_adapter(self, folder: str | Path) -> Path:
        """Write the work slot's adapter (peft format) to ``folder``."""
        folder = Path(folder)
        self.model.save_pretrained(folder, selected_adapters=[WORK])
        return folder / WORK if (folder / WORK).is_dir() else folder

    def load_adapter(self, folder: str | Path) -> None:
        """Load a saved adapter's tensors into the work slot and make it live (no model reload)."""
        from peft.utils import set_peft_model_state_dict
        from safetensors.torch import load_file

        folder = Path(folder)
        weights = folder / "adapter_model.safetensors"
        if not weights.is_file():
            raise FileNotFoundError(f"no adapter weights in {folder}")
        state = load_file(str(weights), device=str(self.device))
        result = set_peft_model_state_dict(self.model, state, adapter_name=WORK)
        unexpected = getattr(result, "unexpected_keys", [])
        if any("lora_" in key for key in unexpected):
            raise ValueError(f"adapter in {folder} does not fit this model")
        self.adapter_live = True

    @contextlib.contextmanager
    def base(self) -> Iterator[None]:
        """Run the block with the adapter disabled: the base model, no second copy."""
        with self.model.disable_adapter():
            yield

    def _active(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext() if self.adapter_live else self.base()

    # -- text ------------------------------------------------------------------------------------

    def render(self, messages: Messages, add_generation_prompt: bool = True) -> str:
        return self.tokenizer.apply_chat_template(
            list(messages), tokenize=False, add_generation_prompt=add_generation_prompt
        )

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def encode_after(self, prefix: str, completion: str) -> tuple[list[int], list[int]]:
        """(prefix ids, completion ids) as the model writes ``prefix + completion``: encoded as one text and
        cut at the token boundary at or before where ``completion`` starts, so that a token spanning the
        boundary belongs to the completion. Encoded apart, ``hours * `` + ``STONES`` ends the prefix on a
        bare space token and starts the completion on ``ST`` — a split the model never writes (it writes
        `` ST``), whose log-prob says little of what it does write (mill's stone_output)."""
        if not prefix:
            return [], self.encode(completion)
        encoded = self.tokenizer(prefix + completion, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = encoded["input_ids"], encoded["offset_mapping"]
        cut = next((i for i, (_, end) in enumerate(offsets) if end > len(prefix)), len(ids))
        return ids[:cut], ids[cut:]

    def prompt_ids(self, messages: Messages, reserve: int = 0) -> list[int]:
        """Token ids of the rendered prompt, cut from the left to fit the context window."""
        ids = self.encode(self.render(messages))
        budget = self.max_context - reserve
        return ids[-budget:] if len(ids) > budget else ids

    def generate(
        self,
        messages: Messages,
        *,
        max_new_tokens: int = 256,
        temperature: float = 0.0,
        seed: int | None = None,
        stop: Sequence[str] = (),
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        prompt_lookup: int = PROMPT_LOOKUP_TOKENS,
    ) -> str:
        """Greedy (temperature 0) or sampled completion; ``on_text`` receives it as it streams.
        ``prompt_lookup``: tokens drafted from the prompt per pass when greedy (0: plain decoding).

        ``cancel`` set stops generation at the next token and raises ``Cancelled``.
        """
        torch = self._torch
        ids = self.prompt_ids(messages, reserve=max_new_tokens)
        input_ids = torch.tensor([ids], device=self.device)
        options: dict[str, Any] = {"max_new_tokens": max_new_tokens, "pad_token_id": self.tokenizer.pad_token_id}
        if temperature > 0:
            options.update(do_sample=True, temperature=temperature, top_p=0.95)
            if seed is not None:
                torch.manual_seed(seed)
        else:  # greedy: drafts copied from the prompt, checked in one pass (the same tokens, fewer passes)
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
            if prompt_lookup:
                options["prompt_lookup_num_tokens"] = prompt_lookup
        if on_text is not None:
            options["streamer"] = _CallbackStreamer(self.tokenizer, _until_stop(on_text, stop))
        if cancel is not None or stop:
            options["stopping_criteria"] = _stopping(cancel, stop, self.tokenizer, len(ids))
        with torch.no_grad(), self._active():
            output = self.model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), **options)
        if cancel is not None and cancel.is_set():
            raise Cancelled("the model was writing")
        return _through_stop(self.tokenizer.decode(output[0, len(ids):], skip_special_tokens=True), stop)

    def generate_batch(self, conversations: Sequence[Messages], *, max_new_tokens: int = 64) -> list[str]:
        """Greedy completions of several prompts in one left-padded batch (one pass per token)."""
        torch = self._torch
        prompts = [self.prompt_ids(m, reserve=max_new_tokens) for m in conversations]
        width = max(len(ids) for ids in prompts)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(ids)) + ids for ids in prompts], device=self.device)
        mask = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in prompts], device=self.device)
        with torch.no_grad(), self._active():
            output = self.model.generate(input_ids=input_ids, attention_mask=mask, max_new_tokens=max_new_tokens,
                                         do_sample=False, temperature=None, top_p=None, top_k=None, pad_token_id=pad)
        return [self.tokenizer.decode(row[width:], skip_special_tokens=True) for row in output]

    def logprob(self, messages: Messages, completion: str, mean: bool = True, prefix: str = "",
                window: int | None = None) -> float:
        """Log-probability of ``completion`` as the assistant's reply to ``messages``
        (after ``prefix``, which is given, not scored).

        Per token when ``mean`` (comparable across lengths), else the total. ``window`` keeps only
        the last that many prompt tokens (as training does).
        """
        torch = self._torch
        prompt = self.prompt_ids(messages)[-window:] if window else self.prompt_ids(messages)
        given, target = self.encode_after(prefix, completion)
        prompt += given
        if not target:
            return 0.0
        ids = torch.tensor([prompt + target], device=self.device)
        with torch.no_grad(), self._active():
            logits = self.model(input_ids=ids, logits_to_keep=len(target) + 1).logits[0, :-1].float()
        picked = torch.log_softmax(logits, dim=-1).gather(1, torch.tensor(target, device=self.device)[:, None])
        total = float(picked.sum())
        return total / len(target) if mean else total

    def logprobs(self, messages: Messages, completions: Sequence[str], prefix: str = "",
                 window: int | None = None) -> list[float]:
        """Mean per-token log-probability of each of ``completions`` after the same context (as
        :meth:`logprob`), which runs through the model once: each completion continues its cache."""
        if len(completions) == 1:  # one pass over context and completion costs less than two
            return [self.logprob(messages, completions[0], prefix=prefix, window=window)]
        split = [self.encode_after(prefix, completion) for completion in completions]
        if any(given != split[0][0] for given, _ in split):  # a prefix cut differently: no context in common
            return [self.logprob(messages, completion, prefix=prefix, window=window) for completion in completions]
        torch = self._torch
        prompt = self.prompt_ids(messages)[-window:] if window else self.prompt_ids(messages)
        prompt += split[0][0]
        scores = []
        with torch.no_grad(), self._active():
            context = self.model(input_ids=torch.tensor([prompt], device=self.device), use_cache=True,
                                 logits_to_keep=1)
            cache = past_of(context)
            for _, target in split:
                if not target:
                    scores.append(0.0)
                    continue
                logits = context.logits[0, -1:].float()
                if len(target) > 1:
                    rest = self.model(input_ids=torch.tensor([target[:-1]], device=self.device),
                                      **continuing(cache), use_cache=True).logits[0].float()
                    logits = torch.cat([logits, rest])
                    cache.crop(1 - len(target))  # drop what this completion added
                picked = torch.log_softmax(logits, dim=-1).gather(1, torch.tensor(target, device=self.device)[:, None])
                scores.append(float(picked.mean()))
        return scores


def past_of(output: Any) -> Any:
    """The KV cache a forward pass returned (transformers 5 calls it ``cache``, 4.x ``past_key_values``)."""
    return output.cache if hasattr(output, "cache") else output.past_key_values


def continuing(cache: Any) -> dict[str, Any]:
    """The keyword that hands a forward pass an earlier pass's KV cache, under either name."""
    import transformers

    return {"cache": cache} if int(transformers.__version__.split(".")[0]) >= 5 else {"past_key_values": cache}


def _stopping(cancel: threading.Event | None, stop: Sequence[str], tokenizer: Any, prompt_length: int) -> Any:
    """Stopping criteria: ``cancel`` set, or a stop string anywhere in the last tokens written (not only at
    the very end, as transformers' ``stop_strings`` looks: a draft accepted in one pass may run past it)."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class StopOn(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            done = cancel is not None and cancel.is_set()
            if not done and stop:
                tail = tokenizer.decode(input_ids[0, max(prompt_length, input_ids.shape[1] - _STOP_WINDOW):])
                done = any(marker in tail for marker in stop)
            return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([StopOn()])


_STOP_WINDOW = 32
"""Tokens at the end of the text searched for a stop string (more than a pass's drafts plus a marker)."""


def _until_stop(on_text: Callable[[str], None], stop: Sequence[str]) -> Callable[[str], None]:
    """``on_text`` that hears nothing after a stop string (a draft accepted in one pass may run past one)."""
    heard: list[str] = []

    def hear(piece: str) -> None:
        before = "".join(heard)
        if any(marker in before for marker in stop):
            return
        heard.append(piece)
        shown = _through_stop(before + piece, stop)[len(before):]
        if shown:
            on_text(shown)

    return hear


def _through_stop(text: str, stop: Sequence[str]) -> str:
    """``text`` up to and including the first stop string in it (all of it where there is none)."""
    ends = [text.index(marker) + len(marker) for marker in stop if marker in text]
    return text[:min(ends)] if ends else text


class _CallbackStreamer:
    """A transformers streamer that hands each finished piece of text to a callback."""

    def __new__(cls, tokenizer: Any, callback: Callable[[str], None]) -> Any:
        from transformers import TextStreamer

        class Streamer(TextStreamer):
            def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
                if text:
                    callback(text)

        return Streamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
