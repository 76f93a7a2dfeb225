"""Random-initialised models of a real architecture, for timing on hardware without weights."""

from __future__ import annotations


def random_policy(model: str):
    """A ``Policy`` over ``model``'s architecture with random weights (config and tokenizer only)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from .models import LoadedModel, choose_device, choose_dtype, prepare_embedded
    from .policy import Policy

    source = str(prepare_embedded()) if model == "embedded" else model
    config = AutoConfig.from_pretrained(source)
    tokenizer = AutoTokenizer.from_pretrained(str(prepare_embedded()))
    device = choose_device()
    dtype = choose_dtype(device)
    with torch.device(device):
        net = AutoModelForCausalLM.from_config(config, dtype=dtype).eval()
    net.resize_token_embeddings(len(tokenizer))
    return Policy(LoadedModel(net, tokenizer, f"{model} (random init)", device, dtype))
