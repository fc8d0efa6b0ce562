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
  longest_query, longest_key and shared, plain integers (the prefix's length, 0 when none is shared).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import torch

SEQUENCES = (("", "completion_ids"), ("KL_", "KL_completion_ids"))


def shared_prefix_length(rows: list[tuple[list[int], int]]) -> int:
    """Tokens every row starts with, stopping one short of the shortest prompt so that each row's first
    completion token is predicted from a token of its own."""
    if len(rows) < 2:
        return 0
    common = len(os.path.commonprefix([ids for ids, _ in rows]))
    return max(0, min(common, min(prompt for _, prompt in rows) - 1))


def pack_rows(rows: list[tuple[list[int], int]]) -> dict[str, Any]:
    """One packed sequence from (token ids, prompt length) rows; the keys are described in the module."""
    shared = shared_prefix_length(rows)
    ids: list[int] = list(rows[0][0][:shared])
    positions: list[int] = list(range(shared))
    predict_at: list[int] = []
    targets: list[int] = []
    target_rows: list[int] = []
    query_starts, key_starts = [0], [0]
    # The packed index runs that key_index lays end to end: the prefix on its own, then for each row the
    # prefix again and the row. Made into one tensor at the end: as a Python list, a 16k-token prefix
    # repeated for 32 rows took longer to convert than the rest of the batch.
    key_runs: list[tuple[int, int]] = []
    if shared:
        query_starts.append(shared)
        key_starts.append(shared)
        key_runs.append((0, shared))
    for index, (row_ids, prompt_length) in enumerate(rows):
        start = len(ids) - shared  # packed index of the row's token 0 (its first `shared` tokens are the prefix)
        suffix = row_ids[shared:]
        key_runs += [(0, shared), (len(ids), len(ids) + len(suffix))]
        query_starts.append(query_starts[-1] + len(suffix))
        key_starts.append(key_starts[-1] + shared + len(suffix))
        ids.extend(suffix)
        positions.extend(range(shared, len(row_ids)))
        for token in range(prompt_length, len(row_ids)):
            predict_at.append(start + token - 1)
            targets.append(row_ids[token])
            target_rows.append(index)

    def tensor(values: list[int], dtype: torch.dtype = torch.int64) -> torch.Tensor:
        return torch.tensor(values, dtype=dtype)

    return {
        "packed_ids": tensor(ids),
        "positions": tensor(positions),
        "predict_at": tensor(predict_at),
        "targets": tensor(targets),
        "target_rows": tensor(target_rows),
        # FlashAttention's variable-length kernel takes int32 boundaries.
        "query_starts": tensor(query_starts, torch.int32),
        "key_starts": tensor(key_starts, torch.int32),
        "key_index": torch.cat([torch.arange(start, end) for start, end in key_runs]),
        "longest_query": max(end - start for start, end in zip(query_starts, query_starts[1:], strict=False)),
        "longest_key": max(end - start for start, end in zip(key_starts, key_starts[1:], strict=False)),
        "shared": shared,
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
