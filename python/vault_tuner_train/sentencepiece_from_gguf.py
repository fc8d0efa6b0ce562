"""A SentencePiece `tokenizer.model` rebuilt from a GGUF's vocabulary.

transformers turns a GGUF's vocabulary into a fast tokenizer (`tokenizer.json`) only; given that alone,
llama.cpp's converter writes the vocabulary back as BPE through a pre-tokenizer guess, which is not the
model's own tokenizer. With `tokenizer.model` beside it, the converter takes its SentencePiece path and the
exported GGUF carries the same pieces, scores and token types the imported one did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# GGUF token types use SentencePiece's numbering (llama.cpp's SentencePieceTokenTypes): 1 normal,
# 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. The proto's Type enum is the same.
SENTENCEPIECE_MODELS = {"llama"}


#: The GGUF fields a vocabulary is rebuilt from (read with gguf_files.read_metadata).
VOCABULARY_KEYS = (
    "tokenizer.ggml.model",
    "tokenizer.ggml.tokens",
    "tokenizer.ggml.scores",
    "tokenizer.ggml.token_type",
    "tokenizer.ggml.add_bos_token",
    "tokenizer.ggml.add_space_prefix",
)


def write_sentencepiece_model(vocabulary: dict[str, Any], target: Path) -> bool:
    """Writes tokenizer.model for a SentencePiece vocabulary (GGUF tokenizer model "llama"); returns False,
    writing nothing, for other kinds (GPT-2 style BPE vocabularies convert faithfully from tokenizer.json)."""
    if vocabulary.get("tokenizer.ggml.model") not in SENTENCEPIECE_MODELS:
        return False
    try:
        from sentencepiece import sentencepiece_model_pb2 as model_pb2
    except ImportError:
        import sys

        print(
            "sentencepiece is not installed: tokenizer.model not written (an export of this base would write a BPE vocabulary)",
            file=sys.stderr,
        )
        return False

    proto = model_pb2.ModelProto()
    tokens = vocabulary["tokenizer.ggml.tokens"]
    scores = vocabulary.get("tokenizer.ggml.scores") or [0.0] * len(tokens)
    types = vocabulary.get("tokenizer.ggml.token_type") or [1] * len(tokens)
    for piece, score, kind in zip(tokens, scores, types, strict=True):
        entry = proto.pieces.add()
        entry.piece = piece
        entry.score = float(score)
        entry.type = int(kind)
    proto.trainer_spec.model_type = model_pb2.TrainerSpec.BPE
    proto.trainer_spec.vocab_size = len(tokens)
    proto.trainer_spec.byte_fallback = any(int(kind) == 6 for kind in types)
    proto.normalizer_spec.name = "identity"
    proto.normalizer_spec.add_dummy_prefix = bool(vocabulary.get("tokenizer.ggml.add_space_prefix", False))
    proto.normalizer_spec.remove_extra_whitespaces = False
    proto.normalizer_spec.escape_whitespaces = True
    target.write_bytes(proto.SerializeToString())
    return True
