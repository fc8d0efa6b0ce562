"""`base-import`: a GGUF file (a model someone already runs in Ollama or llama.cpp) made into a base the
trainer can fine-tune: dequantized weights, the tokenizer, a chat template that renders tools, and the
GGUF's own SentencePiece vocabulary kept so that the export writes the same vocabulary back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .errors import TrainError
from .gguf_files import read_metadata
from .progress import Progress
from .sentencepiece_from_gguf import VOCABULARY_KEYS, write_sentencepiece_model
from .tool_templates import renders_tools, tool_template_for

BASE_MANIFEST = "vault-tuner-base.json"
DTYPES = ("float32", "bfloat16", "float16")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


SAMPLE_TEXT = "Please move the meeting notes from last Tuesday into the Projects folder and open the budget. " * 3


def _keep_whole_pieces(tokenizer: Any, vocabulary: dict[str, Any]) -> None:
    """Control and user-defined pieces of the GGUF (turn markers, <tool_call>...) are single tokens in
    llama.cpp; transformers' conversion can leave the user-defined ones to be split like text. Each is
    registered again under its own id, so training tokenizes them as every runtime does."""
    from tokenizers import AddedToken

    pieces = vocabulary.get("tokenizer.ggml.tokens") or []
    kinds = vocabulary.get("tokenizer.ggml.token_type") or []
    split = [
        AddedToken(piece, special=int(kind) == 3, normalized=False)
        for piece, kind in zip(pieces, kinds, strict=True)
        if int(kind) in (3, 4) and piece and len(tokenizer(piece, add_special_tokens=False).input_ids) != 1
    ]
    if split:
        tokenizer.add_tokens(split)


def _check_tokenizer(tokenizer: Any, source: str) -> None:
    """Refuses a tokenizer that splits plain English into characters: some transformers releases convert a
    GGUF's SentencePiece vocabulary without its merges, and a model trained through such a tokenizer learns
    nothing it can use at inference."""
    tokens = len(tokenizer(SAMPLE_TEXT, add_special_tokens=False).input_ids)
    if tokens > len(SAMPLE_TEXT) / 2:
        import transformers

        raise TrainError(
            f"the tokenizer transformers {transformers.__version__} made from {source} splits text into {tokens} tokens for {len(SAMPLE_TEXT)} characters: its vocabulary conversion is broken",
            "use the pinned transformers (python/requirements-cpu.txt), or pass --tokenizer with a folder holding this model's tokenizer",
            "tokenizer-invalid",
        )


def import_gguf(
    gguf_file: str,
    output: str,
    name: str | None,
    template_name: str | None,
    dtype: str,
    progress: Progress,
    tokenizer_dir: str | None = None,
    llama_cpp: str | None = None,
) -> dict[str, Any]:
    """Writes a Hugging Face model folder to `output` (staged, then renamed into place) and its manifest.
    `tokenizer_dir` takes the tokenizer from a folder (an earlier import, the model's own repository)
    instead of converting the GGUF's vocabulary. With `llama_cpp` (a llama.cpp source tree) it also writes
    `model.gguf`: the original file with the chat template training will use, so the base can be evaluated
    (and served) before any training exactly as the tuned model will be."""
    source = Path(gguf_file).resolve()
    if not source.is_file():
        raise TrainError(f"no GGUF file at {gguf_file}", "give the path of a .gguf model file", "model-missing")
    out = Path(output)
    if (out / BASE_MANIFEST).is_file():
        raise TrainError(
            f"{out} already holds an imported base",
            "pick another --name, or delete that folder to import again",
            "usage",
        )
    if out.exists() and any(out.iterdir()):
        raise TrainError(f"{out} exists and is not empty", "give --output a new folder", "usage")
    stages = ["read", "tokenizer", "weights", "save", *(["gguf"] if llama_cpp else [])]
    started = time.monotonic()

    def stage(label: str) -> None:
        index = stages.index(label) + 1
        progress.emit("stage", stage=label, index=index, total=len(stages), eta_s=progress.eta(index - 1, len(stages)))

    stage("read")
    try:
        vocabulary = read_metadata(source, ("general.architecture", "tokenizer.chat_template", *VOCABULARY_KEYS))
    except (struct.error, UnicodeDecodeError, MemoryError) as error:
        raise TrainError(
            f"{source.name} is not a readable GGUF file: {error}",
            "check the file is a complete .gguf download",
            "model-invalid",
        ) from error
    architecture = str(vocabulary.pop("general.architecture", "?"))
    own_template = vocabulary.pop("tokenizer.chat_template", None)

    stage("tokenizer")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted import left
    staging.mkdir(parents=True)
    tokenizer = (
        AutoTokenizer.from_pretrained(tokenizer_dir)
        if tokenizer_dir
        else AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name)
    )
    if not tokenizer_dir:
        _keep_whole_pieces(tokenizer, vocabulary)
    _check_tokenizer(tokenizer, source.name)
    template = None
    if renders_tools(own_template):
        tokenizer.chat_template = own_template
    else:
        try:
            template = tool_template_for(list(vocabulary.get("tokenizer.ggml.tokens", [])), template_name)
        except KeyError as error:
            raise TrainError(
                f"no tool template named {template_name}",
                "leave --template out to pick one by the model's turn tokens",
                "usage",
            ) from error
        if template is None:
            raise TrainError(
                f"{source.name} has no chat template that renders tools, and its vocabulary has no turn format Vault Tuner has a tool template for",
                "use a model whose GGUF embeds a tool-capable template (most instruct models do)",
                "template-missing",
            )
        tokenizer.chat_template = template.text
        # Generation stops at the end of a model turn; training completions end with the same token.
        tokenizer.eos_token = template.end_of_turn
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.save_pretrained(staging)
    kept_vocabulary = write_sentencepiece_model(vocabulary, staging / "tokenizer.model")

    stage("weights")
    model = AutoModelForCausalLM.from_pretrained(str(source.parent), gguf_file=source.name, dtype=getattr(torch, dtype))
    # Weights are plain tensors once dequantized; the GGUF "quantizer" left on the model only blocks saving.
    model.hf_quantizer = None
    if getattr(model.config, "quantization_config", None) is not None:
        del model.config.quantization_config
    end_ids = sorted(
        {
            tokenizer.convert_tokens_to_ids(token)
            for token in (tokenizer.eos_token, *(([template.end_of_turn]) if template else []))
        }
        | (
            {int(model.generation_config.eos_token_id)}
            if isinstance(model.generation_config.eos_token_id, int)
            else set()
        )
    )
    model.generation_config.eos_token_id = end_ids
    parameters = sum(parameter.numel() for parameter in model.parameters())

    stage("save")
    model.save_pretrained(staging)
    manifest = {
        "name": name or out.name,
        "source": {"file": source.name, "sha256": _sha256(source), "bytes": source.stat().st_size},
        "architecture": architecture,
        "parameters": parameters,
        "dtype": dtype,
        "chat_template": {
            "name": template.name if template else "embedded",
            "sha256": hashlib.sha256(tokenizer.chat_template.encode()).hexdigest(),
        },
        "sentencepiece_vocabulary": kept_vocabulary,
        "import_seconds": round(time.monotonic() - started, 1),
    }
    if llama_cpp:
        stage("gguf")
        _gguf_with_template(
            Path(llama_cpp),
            source,
            staging / "model.gguf",
            staging / "chat_template.jinja",
            tokenizer.eos_token if template else None,
        )
        manifest["gguf"] = {"file": "model.gguf", "sha256": _sha256(staging / "model.gguf")}
    (staging / BASE_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if out.exists():
        out.rmdir()  # only an empty folder can be here: a manifest would have stopped us above
    staging.rename(out)
    return {**manifest, "output": str(out)}


def _gguf_with_template(
    llama_cpp: Path, source: Path, target: Path, template_file: Path, end_of_turn: str | None
) -> None:
    """The source GGUF, tensors untouched, with the chat template (and the end-of-turn token as its eos)."""
    script = llama_cpp / "gguf-py" / "gguf" / "scripts" / "gguf_new_metadata.py"
    if not script.is_file():
        raise TrainError(
            f"{script} is missing: {llama_cpp} is not a llama.cpp source tree",
            "let the daemon unpack the sources node-llama-cpp ships (npx vault-tuner base import does it)",
            "llama-cpp-missing",
        )
    command = [
        sys.executable,
        str(script),
        str(source),
        str(target),
        "--chat-template-file",
        str(template_file),
        "--force",
    ]
    if end_of_turn:
        command += ["--special-token", "eos", end_of_turn]
    done = subprocess.run(
        command, stdout=sys.stderr, stderr=sys.stderr, env={**os.environ, "PYTHONPATH": str(llama_cpp / "gguf-py")}
    )
    if done.returncode != 0:
        raise TrainError(
            f"writing {target.name} failed (exit {done.returncode})",
            "the log above (stderr) names the cause",
            "convert-failed",
        )
