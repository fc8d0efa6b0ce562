"""GGUF conversion with the llama.cpp sources node-llama-cpp ships, and reading a GGUF's metadata.

The converters are run as the scripts they are (with this interpreter), from one llama.cpp release;
metadata is read straight from the file's header.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import TrainError


def _script(llama_cpp: Path, name: str) -> Path:
    script = llama_cpp / name
    if not script.is_file():
        raise TrainError(
            f"{script} is missing: {llama_cpp} is not a llama.cpp source tree",
            "let the daemon unpack the sources node-llama-cpp ships (npx vault-tuner export does it)",
            "llama-cpp-missing",
        )
    return script


def _run(command: list[str], what: str) -> None:
    # The converters log to stderr; our stdout is reserved for progress events.
    done = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr)
    if done.returncode != 0:
        raise TrainError(
            f"{what} failed (exit {done.returncode})",
            "the converter's log above (stderr) names the cause",
            "convert-failed",
        )


def convert_model(llama_cpp: Path, model_dir: Path, target: Path, outtype: str) -> None:
    """A Hugging Face model folder to one GGUF file (outtype f16, bf16 or f32)."""
    partial = target.with_name(target.name + ".partial")
    _run(
        [
            sys.executable,
            str(_script(llama_cpp, "convert_hf_to_gguf.py")),
            str(model_dir),
            "--outfile",
            str(partial),
            "--outtype",
            outtype,
        ],
        f"converting {model_dir} to GGUF",
    )
    partial.replace(target)


def convert_adapter(llama_cpp: Path, adapter_dir: Path, base_dir: Path, target: Path) -> None:
    """A PEFT LoRA adapter to a GGUF LoRA, for runtimes that apply it to the base model themselves."""
    partial = target.with_name(target.name + ".partial")
    _run(
        [
            sys.executable,
            str(_script(llama_cpp, "convert_lora_to_gguf.py")),
            str(adapter_dir),
            "--base",
            str(base_dir),
            "--outfile",
            str(partial),
            "--outtype",
            "f16",
        ],
        f"converting the adapter {adapter_dir} to GGUF",
    )
    partial.replace(target)


# GGUF value types (gguf-py's GGUFValueType) and the struct format of the fixed-size ones.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


def read_metadata(gguf_file: Path, keys: tuple[str, ...]) -> dict[str, object]:
    """The named metadata fields of a GGUF file (strings and numbers), absent ones left out.

    Reads the header sequentially and stops once every key is found: gguf-py's reader maps the whole file
    and decodes every field first, which takes about 20 s for a 262,144-token vocabulary."""
    import struct

    wanted = set(keys)
    found: dict[str, object] = {}
    with gguf_file.open("rb") as stream:

        def unpack(fmt: str):
            return struct.unpack(fmt, stream.read(struct.calcsize(fmt)))[0]

        def string() -> str:
            return stream.read(unpack("<Q")).decode("utf-8", errors="replace")

        def value(kind: int, keep: bool):
            if kind in _SCALARS:
                return unpack(_SCALARS[kind])
            if kind == _STRING:
                if keep:
                    return string()
                stream.seek(unpack("<Q"), 1)
                return None
            if kind == _ARRAY:
                item_kind, count = unpack("<I"), unpack("<Q")
                if item_kind in _SCALARS and not keep:
                    stream.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
                    return None
                items = [value(item_kind, keep) for _ in range(count)]
                return items if keep else None
            raise TrainError(
                f"{gguf_file.name}: unknown GGUF value type {kind}",
                "the file is damaged or from a newer GGUF version",
                "model-invalid",
            )

        if stream.read(4) != b"GGUF":
            raise TrainError(f"{gguf_file.name} is not a GGUF file", "", "model-invalid")
        unpack("<I")  # version
        unpack("<Q")  # tensor count
        for _ in range(unpack("<Q")):
            key = string()
            kind = unpack("<I")
            result = value(kind, key in wanted)
            if key in wanted:
                found[key] = result
                if len(found) == len(wanted):
                    break
    return found
