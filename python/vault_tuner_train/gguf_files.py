"""GGUF conversion with the llama.cpp sources node-llama-cpp ships, and reading a GGUF's metadata.

The converters are run as the scripts they are (with this interpreter), and the `gguf` reader is
imported from the same source tree, so conversion and checks use one llama.cpp release.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import TrainError


def _script(llama_cpp: Path, name: str) -> Path:
    script = llama_cpp / name
    if not script.is_file():
        raise TrainError(f"{script} is missing: {llama_cpp} is not a llama.cpp source tree", "let the daemon unpack the sources node-llama-cpp ships (npx vault-tuner export does it)", "llama-cpp-missing")
    return script


def _run(command: list[str], what: str) -> None:
    # The converters log to stderr; our stdout is reserved for progress events.
    done = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr)
    if done.returncode != 0:
        raise TrainError(f"{what} failed (exit {done.returncode})", "the converter's log above (stderr) names the cause", "convert-failed")


def convert_model(llama_cpp: Path, model_dir: Path, target: Path, outtype: str) -> None:
    """A Hugging Face model folder to one GGUF file (outtype f16, bf16 or f32)."""
    partial = target.with_name(target.name + ".partial")
    _run([sys.executable, str(_script(llama_cpp, "convert_hf_to_gguf.py")), str(model_dir), "--outfile", str(partial), "--outtype", outtype], f"converting {model_dir} to GGUF")
    partial.replace(target)


def convert_adapter(llama_cpp: Path, adapter_dir: Path, base_dir: Path, target: Path) -> None:
    """A PEFT LoRA adapter to a GGUF LoRA, for runtimes that apply it to the base model themselves."""
    partial = target.with_name(target.name + ".partial")
    _run([sys.executable, str(_script(llama_cpp, "convert_lora_to_gguf.py")), str(adapter_dir), "--base", str(base_dir), "--outfile", str(partial), "--outtype", "f16"], f"converting the adapter {adapter_dir} to GGUF")
    partial.replace(target)


def read_metadata(llama_cpp: Path, gguf_file: Path, keys: tuple[str, ...]) -> dict[str, object]:
    """The named metadata fields of a GGUF file (strings and numbers), absent ones left out."""
    gguf_py = str(llama_cpp / "gguf-py")
    if gguf_py not in sys.path:
        sys.path.insert(0, gguf_py)
    from gguf import GGUFReader

    reader = GGUFReader(str(gguf_file))
    found: dict[str, object] = {}
    for key in keys:
        field = reader.get_field(key)
        if field is not None:
            found[key] = field.contents()
    return found
