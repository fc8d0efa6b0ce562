"""Merging a trained LoRA adapter into its base model, and exporting the result as GGUF files.

`merge` writes a standalone Hugging Face model; `export_gguf` goes on to a 16-bit GGUF, its quantized
variants and the adapter-only GGUF, checks that every model GGUF carries the chat template the run
trained with (a mismatch there is the usual reason an exported model stops calling tools), and
lists the files with their sizes and sha256 in export.json.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .errors import TrainError
from .gguf_files import convert_adapter, convert_model, read_metadata
from .progress import Progress
from .quantize import FTYPES, quantize
from .tokenizer_files import load_tokenizer, save_tokenizer, template_hash

DTYPES = ("float16", "bfloat16", "float32")
GGUF_OUTTYPE = {"float16": "f16", "bfloat16": "bf16", "float32": "f32"}
TEMPLATE_KEY = "tokenizer.chat_template"


def _training_of(run_dir: Path) -> dict[str, Any]:
    training_file = run_dir / "training.json"
    if not (run_dir / "adapter").is_dir() or not training_file.is_file():
        raise TrainError(
            f"{run_dir} is not a training run (no adapter/ or training.json)",
            "give the --output folder of a finished kto or sft run",
            "run-missing",
        )
    return json.loads(training_file.read_text())


def merge(run: str, output: str, base: str | None, dtype: str) -> dict[str, Any]:
    """Writes a standalone model (merged weights, tokenizer, chat template) and export.json beside it."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    run_dir = Path(run)
    adapter = run_dir / "adapter"
    training = _training_of(run_dir)
    base_model = base or training["model"]
    tokenizer = load_tokenizer(str(adapter))
    if template_hash(tokenizer) != training["chat_template_sha256"]:
        raise TrainError(
            "the adapter's tokenizer carries a different chat template than the one training rendered with",
            "export the run as it was trained",
            "template-mismatch",
        )
    model = AutoModelForCausalLM.from_pretrained(base_model, dtype=torch.float32)
    merged = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    merged = merged.to(getattr(torch, dtype))
    out = Path(output)
    merged.save_pretrained(out)
    save_tokenizer(tokenizer, adapter, out)
    summary = {
        "base": base_model,
        "adapter": str(adapter),
        "dtype": dtype,
        "chat_template_sha256": training["chat_template_sha256"],
        "output": str(out),
    }
    (out / "export.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def check_chat_template(gguf_file: Path, expected_sha256: str) -> None:
    """Refuses a GGUF whose embedded chat template is not the one the training data was rendered with."""
    template = read_metadata(gguf_file, (TEMPLATE_KEY,)).get(TEMPLATE_KEY)
    if template is None:
        raise TrainError(
            f"{gguf_file.name} carries no chat template",
            "the model folder needs its chat template (tokenizer_config.json or chat_template.jinja) before conversion",
            "template-mismatch",
        )
    found = hashlib.sha256(str(template).encode()).hexdigest()
    if found != expected_sha256:
        raise TrainError(
            f"{gguf_file.name} carries a chat template (sha256 {found[:12]}…) other than the one training rendered with ({expected_sha256[:12]}…)",
            "export from the run's own merged folder; do not edit its tokenizer files",
            "template-mismatch",
        )


def _file_entry(path: Path, kind: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 22):
            digest.update(chunk)
    return {"name": path.name, "kind": kind, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def export_gguf(
    run: str,
    output: str,
    llama_cpp: str,
    libllama: str,
    release: str,
    quants: list[str],
    dtype: str,
    with_adapter: bool,
    progress: Progress,
    base: str | None = None,
) -> dict[str, Any]:
    """merge -> 16-bit GGUF -> each quantization -> adapter GGUF -> template checks -> export.json."""
    unknown = [kind for kind in quants if kind not in FTYPES]
    if unknown:
        raise TrainError(f"unknown quantization {', '.join(unknown)}", f"choose from {', '.join(FTYPES)}", "usage")
    sources = Path(llama_cpp)
    run_dir = Path(run)
    training = _training_of(run_dir)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    stages = [
        "merge",
        "convert",
        *[f"quantize {kind}" for kind in quants],
        *(["adapter"] if with_adapter else []),
        "check",
    ]
    stage_index = iter(range(1, len(stages) + 1))

    def stage(name: str) -> None:
        index = next(stage_index)
        progress.emit("stage", stage=name, index=index, total=len(stages), eta_s=progress.eta(index - 1, len(stages)))

    stage("merge")
    merged_dir = out / "merged"
    merge(run, str(merged_dir), base, dtype)
    stage("convert")
    full = out / f"model-{GGUF_OUTTYPE[dtype]}.gguf"
    convert_model(sources, merged_dir, full, GGUF_OUTTYPE[dtype])
    files = [(full, GGUF_OUTTYPE[dtype])]
    for kind in quants:
        stage(f"quantize {kind}")
        target = out / f"model-{kind}.gguf"
        quantize(libllama, release, full, target, kind)
        files.append((target, kind))
    if with_adapter:
        stage("adapter")
        adapter_file = out / "adapter-f16.gguf"
        convert_adapter(sources, run_dir / "adapter", merged_dir, adapter_file)
    stage("check")
    for path, _ in files:
        check_chat_template(path, training["chat_template_sha256"])
    entries = [_file_entry(path, kind) for path, kind in files]
    if with_adapter:
        entries.append(_file_entry(adapter_file, "adapter"))
    summary = {
        "base": base or training["model"],
        "run": str(run_dir),
        "merged": str(merged_dir),
        "dtype": dtype,
        "chat_template_sha256": training["chat_template_sha256"],
        "llama_cpp_release": release,
        "files": entries,
        "output": str(out),
    }
    (out / "export.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
