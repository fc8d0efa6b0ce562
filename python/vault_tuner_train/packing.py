"""Padding-free batches for KTO: the rows of a micro-batch laid end to end in one sequence.

A padded batch of rows of 150 to 600 tokens spends about a third of its compute on pad tokens; a packed
one spends none. Rows that begin with the same tokens (the system prompt and the tool
schemas, which in real data are almost all of a row) carry that prefix once: every row attends to the
one copy, at the positions it would have had, so each row's log-probabilities are exactly those of the
row computed whole, and the prefix's gradient is the sum of what every row sends it.

The collator takes KTOTrainer's tokenized rows (prompt_ids, completion_ids, KL_completion_ids, label,
ref_logps, ref_KL_logps) and truncates each to max_length as TRL's own collator does. For each of the
policy sequence and the KL sequence ("" and "KL_" keys) it gives:
- packed_ids, positions: the tokens and their position ids (a row's continue after the shared prefix);
- predict_at, targets, target_rows: for every completion token, the packed index of the token before it
  (whose hidden state predicts it), its id, and its row;
- the attention layout (packed_attention.py): query_starts and key_starts, the boundaries of the
  attention sequences (the prefix alone, then each row) in the packed queries and in the keys as the
  rows see them; key_index, the packed index of each of those keys (the prefix again before every row);
  longest_query, longest_key and shared, plain integers (the prefix's length, 0 when none is shared);
  row_span and prefix_span, [0, the rows' own tokens] and [0, shared]: the rows' tokens as one sequence of
  queries to the prefix's keys;
- shared_ids, the prefix's token ids as bytes, and longest_row_query, the longest row without it: what a
  pass needs to read the prefix's keys and values from an earlier pass instead (PrefixStates).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

SEQUENCES = (("", "completion_ids"), ("KL_", "KL_completion_ids"))


def shared_prefix_length(rows: list[tuple[list[int], int]]) -> int:
    """Tokens every row starts with, stopping one short of the shortest prompt so that each row's first
    completion token is predicted from a token of its own."""
    if len(rows) < 2:
        return 0
    common = len(os.path.commonprefix([ids for ids, _ in rows]))
    return max(0, min(common, min(prompt for _, prompt in rows) - 1))


def _runs(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The integers of each [start, end) laid end to end, without a Python loop over them."""
    lengths = ends - starts
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(int(lengths.sum()), dtype=np.int64) + offsets


def pack_rows(rows: list[tuple[list[int], int]]) -> dict[str, Any]:
    """One packed sequence from (token ids, prompt length) rows; the keys are described in the module.

    Built with whole-array operations: the collator runs between a batch's copy to the GPU and its
    training step, so the GPU waits for it, and token-by-token Python took 10 ms per 32 rows."""
    shared = shared_prefix_length(rows)
    lengths = np.array([len(row_ids) for row_ids, _ in rows], dtype=np.int64)
    prompts = np.array([prompt for _, prompt in rows], dtype=np.int64)
    suffixes = lengths - shared
    # Packed index of each row's first own token, and of its token 0 (whose first `shared` tokens are the prefix).
    suffix_starts = shared + np.concatenate(([0], np.cumsum(suffixes)[:-1]))
    row_starts = suffix_starts - shared
    ids = np.fromiter(
        itertools.chain(rows[0][0][:shared], *(row_ids[shared:] for row_ids, _ in rows)),
        dtype=np.int64,
        count=shared + int(suffixes.sum()),
    )
    positions = np.concatenate((np.arange(shared), _runs(np.full(len(rows), shared), lengths)))
    # A completion token t of a row is predicted from the row's token t - 1; prompts end after the prefix.
    predict_at = _runs(row_starts + prompts - 1, row_starts + lengths - 1)
    # Attention sequences: the prefix on its own (when shared), then each row, whose keys are the prefix again
    # followed by its own tokens.
    head = [0, shared] if shared else [0]
    query_starts = np.concatenate((head, shared + np.cumsum(suffixes)))
    key_starts = np.concatenate((head, shared + np.cumsum(lengths)))
    key_runs = np.stack(
        (np.zeros(len(rows), dtype=np.int64), np.full(len(rows), shared), suffix_starts, suffix_starts + suffixes),
        axis=1,
    ).reshape(-1, 2)
    if shared:
        key_runs = np.concatenate(([[0, shared]], key_runs))

    def tensor(values: np.ndarray, dtype: torch.dtype = torch.int64) -> torch.Tensor:
        return torch.from_numpy(np.ascontiguousarray(values)).to(dtype)

    return {
        "packed_ids": tensor(ids),
        "positions": tensor(positions),
        "predict_at": tensor(predict_at),
        "targets": tensor(ids[predict_at + 1]),
        "target_rows": tensor(np.repeat(np.arange(len(rows)), lengths - prompts)),
        # FlashAttention's variable-length kernel takes int32 boundaries.
        "query_starts": tensor(query_starts, torch.int32),
        "key_starts": tensor(key_starts, torch.int32),
        "key_index": tensor(_runs(key_runs[:, 0], key_runs[:, 1])),
        "longest_query": int(np.diff(query_starts).max()),
        "longest_key": int(np.diff(key_starts).max()),
        "shared": shared,
        "row_span": tensor(np.array([0, suffixes.sum()]), torch.int32),
        "prefix_span": tensor(np.array([0, shared]), torch.int32),
        # Bytes rather than a tensor: they stay on the host, where comparing them costs no GPU round trip.
        "shared_ids": ids[:shared].tobytes(),
        "longest_row_query": int(suffixes.max()),
    }


@dataclass
class PackingCollator:
    """KTOTrainer's tokenized rows to packed tensors, with the labels and reference log-probs as TRL's
    collator gives them, and `row_tokens`: the tokens the rows hold counted whole (TRL's num_tokens)."""

    max_length: int | None = None

    def __call__(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        output: dict[str, Any] = {}
        for prefix, key in SEQUENCES:
            if key not in examples[0]:
                continue
            rows = []
            for example in examples:
                full = (example["prompt_ids"] + example[key])[: self.max_length]
                rows.append((full, min(len(example["prompt_ids"]), len(full))))
            packed = pack_rows(rows)
            output.update({prefix + name: value for name, value in packed.items()})
            if not prefix:
                output["row_tokens"] = torch.tensor(sum(len(full) for full, _ in rows))
        for key in ("ref_logps", "ref_KL_logps"):
            if key in examples[0]:
                output[key] = torch.tensor([example[key] for example in examples])
        output["label"] = torch.tensor([example["label"] for example in examples])
        return output
