"""The tokenizer a run trains with: loading it, hashing its chat template, saving it beside an adapter or
merged model. Its own module so that preparing a run (run_inputs.py) and training (train.py) both use it
without importing each other."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from .errors import TrainError


def template_hash(tokenizer: Any) -> str:
    """sha256 of the chat template the data was rendered with; the export checks the GGUF against it."""
    return hashlib.sha256((tokenizer.chat_template or "").encode()).hexdigest()


def save_tokenizer(tokenizer: Any, source: str | Path, target: str | Path) -> None:
    """Saves the tokenizer; for a base imported from a GGUF, also the vocabulary it was rebuilt from.

    A fast tokenizer saves only tokenizer.json, from which llama.cpp's converter would write a BPE guess
    instead of the GGUF's own SentencePiece vocabulary. An imported base's tokenizer.model carries that
    vocabulary with the GGUF's token types (see sentencepiece_from_gguf.py), so it travels on, with the
    base's manifest that says where it came from, to every adapter and merged model made from it. Other
    models keep the converter's tokenizer.json path: their tokenizer.model has no types for added tokens."""

    tokenizer.save_pretrained(str(target))
    for name in ("vault-tuner-base.json", "tokenizer.model"):
        original, copy = Path(source) / name, Path(target) / name
        if (Path(source) / "vault-tuner-base.json").is_file() and original.is_file() and not copy.exists():
            shutil.copyfile(original, copy)


def load_tokenizer(model: str):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(model)
    except OSError as error:
        raise TrainError(
            f"cannot load the tokenizer of {model}: {error}",
            "give --model a local model folder or a hub name you can download",
            "model-missing",
        ) from error
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer
