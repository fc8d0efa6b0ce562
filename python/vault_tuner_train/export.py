"""Merging a trained LoRA adapter into its base model, with the tokenizer and chat template it was trained with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import TrainError
from .train import load_tokenizer, template_hash

DTYPES = ("float16", "bfloat16", "float32")


def merge(run: str, output: str, base: str | None, dtype: str) -> dict[str, Any]:
    """Writes a standalone model (merged weights, tokenizer, chat template) and export.json beside it."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    run_dir = Path(run)
    adapter = run_dir / "adapter"
    training_file = run_dir / "training.json"
    if not adapter.is_dir() or not training_file.is_file():
        raise TrainError(f"{run} is not a training run (no adapter/ or training.json)", "give the --output folder of a finished kto or sft run", "run-missing")
    training = json.loads(training_file.read_text())
    base_model = base or training["model"]
    tokenizer = load_tokenizer(str(adapter))
    if template_hash(tokenizer) != training["chat_template_sha256"]:
        raise TrainError("the adapter's tokenizer carries a different chat template than the one training rendered with", "export the run as it was trained", "template-mismatch")
    model = AutoModelForCausalLM.from_pretrained(base_model, dtype=torch.float32)
    merged = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    merged = merged.to(getattr(torch, dtype))
    out = Path(output)
    merged.save_pretrained(out)
    tokenizer.save_pretrained(out)
    summary = {"base": base_model, "adapter": str(adapter), "dtype": dtype, "chat_template_sha256": training["chat_template_sha256"], "output": str(out)}
    (out / "export.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
