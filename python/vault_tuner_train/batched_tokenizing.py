"""KTOTrainer's dataset preparation for rendered text rows, with the tokenizer called on many rows at once.

KTOTrainer tokenizes a row at a time (a call for the prompt, another for prompt and completion), in four
passes of datasets' `map`, each writing a table. Rows rendered with the tool schemas are ~17,000 tokens,
16,800 of them the same system prompt, so that is most of a run's setup. Here one `map` tokenizes
`CHUNK_ROWS` rows per call (the fast tokenizer spreads a batch over its threads), splits them as TRL
does and drops the rows TRL drops, and a second rotates the completions for the KL pairs. The columns are
TRL's, value for value (tests/test_batched_tokenizing.py compares them with KTOTrainer's own).

Left to TRL: conversational rows, paired rows, rows with tools or template arguments, streamed datasets
and processors, none of which the trainer's rendered rows are. Also left out: TRL's warning about
unbalanced class weights, which the dataset card's weights already balance (the daemon's builder sets
them from the counts).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

# Rows a tokenizer call takes: enough to keep its threads busy, few enough that a chunk of 17k-token rows
# stays small as Python lists before it becomes a table.
CHUNK_ROWS = 256

# Columns that make a row something other than a rendered text row; TRL prepares those itself.
OTHER_SHAPES = {"chosen", "rejected", "tools", "chat_template_kwargs", "image", "images"}


def applies(dataset: Any, processing_class: Any) -> bool:
    """True for a map-style (not streamed) dataset of text prompt/completion/label rows and a fast (Rust)
    tokenizer."""
    from datasets import Dataset, Value
    from transformers import PreTrainedTokenizerBase

    if not isinstance(dataset, Dataset) or not isinstance(processing_class, PreTrainedTokenizerBase):
        return False
    features = dataset.features
    text = Value("string")
    return (
        bool(getattr(processing_class, "is_fast", False))
        and {"prompt", "completion", "label"} <= set(features)
        and not OTHER_SHAPES & set(features)
        and features["prompt"] == text
        and features["completion"] == text
    )


def common_prefix(ids: list[int], other: list[int]) -> int:
    """How many leading tokens the two lists share: TRL's common_prefix_length, after comparing whole lists at
    C speed (the prompt is nearly always a prefix of prompt and completion; TRL's walks them token by token)."""
    from trl.data_utils import common_prefix_length

    return len(ids) if other[: len(ids)] == ids else common_prefix_length(ids, other)


class _Split:
    """The batched map's function, on Arrow tables (no conversion of the token lists through Python objects
    on the way back): tokenizes a chunk of rows and splits each into prompt and completion."""

    def __init__(self, tokenizer: Any, max_length: int | None, report: Callable[[int], None] | None) -> None:
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.report = report
        self.chunks = 0
        self.warned = False

    def __call__(self, rows: Any) -> Any:
        import pyarrow as pa

        self.chunks += 1
        if self.report:
            self.report(self.chunks)
        eos = self.tokenizer.eos_token
        prompts = rows["prompt"].to_pylist()
        completions = [text if text.endswith(eos) else text + eos for text in rows["completion"].to_pylist()]
        prompt_ids = self.tokenizer(prompts)["input_ids"]
        whole_ids = self.tokenizer(
            [prompt + completion for prompt, completion in zip(prompts, completions, strict=True)]
        )["input_ids"]
        splits = [common_prefix(prompt, whole) for prompt, whole in zip(prompt_ids, whole_ids, strict=True)]
        self._warn_of_moved_split(prompt_ids, splits)
        ids = pa.list_(pa.int64())
        rows = rows.set_column(
            rows.schema.get_field_index("completion"), "completion", pa.array(completions, pa.string())
        )
        rows = rows.append_column(
            "prompt_ids", pa.array([whole[:n] for whole, n in zip(whole_ids, splits, strict=True)], ids)
        )
        rows = rows.append_column(
            "completion_ids", pa.array([whole[n:] for whole, n in zip(whole_ids, splits, strict=True)], ids)
        )
        if self.max_length is None:
            return rows
        # TRL drops a row whose prompt alone fills max_length: truncation would leave it no completion.
        return rows.filter(pa.array([split < self.max_length for split in splits]))

    def _warn_of_moved_split(self, prompt_ids: list[list[int]], splits: list[int]) -> None:
        if self.warned:
            return
        moved = next((index for index, split in enumerate(splits) if split < len(prompt_ids[index])), None)
        if moved is None:
            return
        self.warned = True
        print(
            "the tokenized prompt is not a prefix of the tokenized prompt and completion (the chat template renders"
            " them differently, or tokens merge across the boundary): each completion starts where they part, and"
            f" the prompt's end, {self.tokenizer.decode(prompt_ids[moved][splits[moved] :])!r}, is left out",
            file=sys.stderr,
        )


def _rotate_completions(rows: Any) -> Any:
    """TRL's KL pairs: within each training micro-batch, row i gets row i-1's completion (the first, the last's)."""
    import pyarrow as pa

    completions = rows["completion_ids"]
    last = len(completions) - 1
    rotated = pa.chunked_array(completions.slice(last).chunks + completions.slice(0, last).chunks, completions.type)
    return rows.append_column("KL_completion_ids", rotated)


def prepare_text_rows(
    dataset: Any,
    tokenizer: Any,
    max_length: int | None,
    kl_batch: int | None,
    stages: Callable[[str, int], Callable[[int], None]] | None = None,
) -> Any:
    """KTOTrainer._prepare_dataset's result for `applies` datasets; `kl_batch`: the micro-batch the KL
    pairs rotate within, None when the loss takes no KL term. `stages` (Progress.counted) hears of each
    chunk as it starts."""
    report = stages("tokenizing", math.ceil(len(dataset) / CHUNK_ROWS)) if stages else None
    dataset = dataset.with_format("arrow").map(
        _Split(tokenizer, max_length, report), batched=True, batch_size=CHUNK_ROWS, desc="Tokenizing"
    )
    if kl_batch is not None:
        dataset = dataset.map(_rotate_completions, batched=True, batch_size=kl_batch, desc="Pairing KL completions")
    return dataset.with_format(None)
