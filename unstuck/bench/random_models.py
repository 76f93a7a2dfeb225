"""Random-initialised models of a real architecture, for timing on hardware without weights."""

from __future__ import annotations

from pathlib import Path

CONFIGS = Path(__file__).parent / "configs"


def random_policy(model: str, tokenizer_source: str | None = None):
    """A ``Policy`` over ``model``'s architecture with random weights (config and tokenizer only).

    ``model`` is ``embedded``, a hub id, a folder with a ``config.json``, or the name of one bundled
    in ``unstuck/bench/configs`` (``qwen2.5-coder-1.5b``: timing a 1.5B model on a machine without hub access).
    The tokenizer is the embedded model's, or ``tokenizer_source`` (a folder or hub id: a machine that
    has a tokenizer but not the embedded model's weights).
    """
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from ..models import LoadedModel, choose_device, choose_dtype, prepare_embedded
    from ..policy import Policy

    bundled = CONFIGS / model
    source = str(prepare_embedded()) if model == "embedded" else str(bundled) if bundled.is_dir() else model
    config = AutoConfig.from_pretrained(source)
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_source or str(prepare_embedded()))
    device = choose_device()
    dtype = choose_dtype(device)
    with torch.device(device):
        net = AutoModelForCausalLM.from_config(config, dtype=dtype).eval()
    if len(tokenizer) > config.vocab_size:  # keep the real vocabulary size: the output layer is a real cost
        net.resize_token_embeddings(len(tokenizer))
    return Policy(LoadedModel(net, tokenizer, f"{model} (random init)", device, dtype))
