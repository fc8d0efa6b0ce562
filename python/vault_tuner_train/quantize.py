"""Quantizing a GGUF in-process with the prebuilt libllama that node-llama-cpp ships (no llama.cpp build).

The params struct mirrors `llama_model_quantize_params` of include/llama.h at the pinned llama.cpp
release (node-llama-cpp 3.21.1 ships v0.4.0); its layout changes between releases, so the release is
checked before the library is called.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

from .errors import TrainError

SUPPORTED_RELEASE = "v0.4.0"

# llama_ftype values of include/llama.h.
FTYPES = {"q4_k_m": 15, "q5_k_m": 17, "q8_0": 7}


class _QuantizeParams(ctypes.Structure):
    _fields_ = [
        ("nthread", ctypes.c_int32),
        ("ftype", ctypes.c_int),
        ("output_tensor_type", ctypes.c_int),
        ("token_embedding_type", ctypes.c_int),
        ("allow_requantize", ctypes.c_bool),
        ("quantize_output_tensor", ctypes.c_bool),
        ("only_copy", ctypes.c_bool),
        ("pure", ctypes.c_bool),
        ("keep_split", ctypes.c_bool),
        ("dry_run", ctypes.c_bool),
        ("imatrix", ctypes.c_void_p),
        ("kv_overrides", ctypes.c_void_p),
        ("tt_overrides", ctypes.c_void_p),
        ("prune_layers", ctypes.c_void_p),
        ("max_buf_size", ctypes.c_size_t),
    ]


def _library(libllama: str, release: str):
    if release != SUPPORTED_RELEASE:
        raise TrainError(
            f"libllama of llama.cpp {release} has a quantize API this exporter was not written for (it knows {SUPPORTED_RELEASE})",
            "install node-llama-cpp 3.21.1, the version the project pins",
            "libllama-version",
        )
    try:
        lib = ctypes.CDLL(libllama)
    except OSError as error:
        raise TrainError(
            f"cannot load libllama from {libllama}: {error}",
            "reinstall the project's npm packages (npm ci) so node-llama-cpp's prebuilt binary is present",
            "libllama-missing",
        ) from error
    lib.llama_model_quantize_default_params.restype = _QuantizeParams
    lib.llama_model_quantize.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_QuantizeParams)]
    lib.llama_model_quantize.restype = ctypes.c_uint32
    lib.llama_backend_init()
    return lib


def quantize(libllama: str, release: str, source: Path, target: Path, kind: str, threads: int = 0) -> None:
    """Writes `target` as `source` quantized to `kind` (q4_k_m, q5_k_m or q8_0)."""
    if kind not in FTYPES:
        raise TrainError(f"unknown quantization {kind!r}", f"choose from {', '.join(FTYPES)}", "usage")
    lib = _library(libllama, release)
    params = lib.llama_model_quantize_default_params()
    params.ftype = FTYPES[kind]
    params.nthread = threads
    partial = target.with_name(target.name + ".partial")
    status = lib.llama_model_quantize(str(source).encode(), str(partial).encode(), ctypes.byref(params))
    if status != 0:
        partial.unlink(missing_ok=True)
        raise TrainError(
            f"llama_model_quantize failed ({status}) turning {source.name} into {kind}",
            "the log above (stderr) names the tensor; check that the GGUF converted cleanly",
            "quantize-failed",
        )
    partial.replace(target)
