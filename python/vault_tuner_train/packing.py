"""Padding-free batches for KTO: the rows of a micro-batch laid end to end in one sequence.

A padded batch of rows of 150 to 600 tokens spends about a third of its compute on pad tokens; a packed
one spends none in its matmuls (attention, a small share of the work, runs per row: packed_attention.py).
Rows that begin with the same long run of tokens (the system prompt and the tool schemas, which in real
data are almost all of a row) carry that prefix once: every row attends to the one copy, at the
positions it would have had, so each row's log-probabilities are exactly those of the row computed whole,
and the prefix's gradient is the sum of what every row sends it.

The collator takes KTOTrainer's tokenized rows (prompt_ids, completion_ids, KL_completion_ids, label,
ref_logps, ref_KL_logps) and truncates each to max_length as TRL's own collator does. For each of the
policy sequence and the KL sequence ("" and "KL_" keys) it gives:
- packed_ids, positions: the tokens and their position ids;
- segments, roots: a segment id per token (0 the shared prefix, 1..n the rows) and the segment whose
  tokens it may also see (the prefix for a row token; its own segment otherwise);
- predict_at, targets, target_rows: for every completion token, the packed index of the token before it
  (whose hidden state predicts it), its id, and its row;
- row_index, unpad_index: the rows' own tokens (after the prefix) as a right-padded (rows, longest) grid
  of packed indices, pads pointing at token 0, and for each such token in packed order its place in the
  flattened grid: attention gathers the grid and scatters back through them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import torch

SEQUENCES = (("", "completion_ids"), ("KL_", "KL_completion_ids"))
# A prefix is held once only from this length on: below it, the rows' attention costs more through the
# prefix-sharing kernel than recomputing the prefix in each row does.
MIN_SHARED_PREFIX = 1024


def shared_prefix_length(rows: list[tuple[list[int], int]], minimum: int = 1) -> int:
    """Tokens every row starts with, stopping one short of the shortest prompt so that each row's first
    completion token is predicted from a token of its own; 0 when that is under `minimum`."""
    if len(rows) < 2:
        return 0
    common = len(os.path.commonprefix([ids for ids, _ in rows]))
    shared = max(0, min(common, min(prompt for _, prompt in rows) - 1))
    return shared if shared >= minimum else 0


def pack_rows(rows: list[tuple[list[int], int]], min_shared_prefix: int = 1) -> dict[str, torch.Tensor]:
    """One packed sequence from (token ids, prompt length) rows; the keys are described in the module."""
    shared = shared_prefix_length(rows, min_shared_prefix)
    ids: list[int] = list(rows[0][0][:shared])
    positions: list[int] = list(range(shared))
    segments: list[int] = [0] * shared
    roots: list[int] = [0] * shared
    predict_at: list[int] = []
    targets: list[int] = []
    target_rows: list[int] = []
    longest = max(len(row_ids) - shared for row_ids, _ in rows)
    row_index: list[int] = []
    unpad_index: list[int] = []
    for index, (row_ids, prompt_length) in enumerate(rows):
        segment = index + 1
        start = len(ids) - shared  # packed index of the row's token 0 (its first `shared` tokens are the prefix)
        suffix = row_ids[shared:]
        row_index.extend([*range(len(ids), len(ids) + len(suffix)), *[0] * (longest - len(suffix))])
        unpad_index.extend(range(index * longest, index * longest + len(suffix)))
        ids.extend(suffix)
        positions.extend(range(shared, len(row_ids)))
        segments.extend([segment] * len(suffix))
        roots.extend([0 if shared else segment] * len(suffix))
        for token in range(prompt_length, len(row_ids)):
            predict_at.append(start + token - 1)
            targets.append(row_ids[token])
            target_rows.append(index)

    def tensor(values: list[int]) -> torch.Tensor:
        return torch.tensor(values, dtype=torch.int64)

    return {
        "packed_ids": tensor(ids),
        "positions": tensor(positions),
        "segments": tensor(segments),
        "roots": tensor(roots),
        "predict_at": tensor(predict_at),
        "targets": tensor(targets),
        "target_rows": tensor(target_rows),
        "row_index": tensor(row_index).view(len(rows), longest),
        "unpad_index": tensor(unpad_index),
    }


@dataclass
class PackingCollator:
    """KTOTrainer's tokenized rows to packed tensors, with the labels and reference log-probs as TRL's
    collator gives them, and `row_tokens`: the tokens the rows hold counted whole (TRL's num_tokens)."""

    max_length: int | None = None
    min_shared_prefix: int = MIN_SHARED_PREFIX

    def __call__(self, examples: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        output: dict[str, torch.Tensor] = {}
        for prefix, key in SEQUENCES:
            if key not in examples[0]:
                continue
            rows = []
            for example in examples:
                full = (example["prompt_ids"] + example[key])[: self.max_length]
                rows.append((full, min(len(example["prompt_ids"]), len(full))))
            packed = pack_rows(rows, self.min_shared_prefix)
            output.update({prefix + name: value for name, value in packed.items()})
            if not prefix:
                output["row_tokens"] = torch.tensor(sum(len(full) for full, _ in rows))
        for key in ("ref_logps", "ref_KL_logps"):
            if key in examples[0]:
                output[key] = torch.tensor([example[key] for example in examples])
        output["label"] = torch.tensor([example["label"] for example in examples])
        return output
