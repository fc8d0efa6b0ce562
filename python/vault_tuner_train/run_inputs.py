"""What every training run starts from, whichever backend trains: the model's name, the checked and
rendered dataset, and the batch settings of the mode."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from .batched_tokenizing import CHUNK_ROWS
from .data import Dataset, load_dataset, render
from .errors import TrainError
from .recipes import ModeSettings, Recipe


@dataclass
class RunInputs:
    model_name: str
    dataset: Dataset
    tokenizer: Any
    rows: list[dict[str, Any]]
    #: The recipe's batch and schedule settings for this mode (SFT has its own section; KTO uses the top level).
    settings: ModeSettings

    def token_lengths(self) -> list[int]:
        """Each rendered row's length in tokens, prompt and completion together: the tokenizer takes
        CHUNK_ROWS rows a call (its threads share them out), not all at once (rows of the tool schemas are
        17,000 tokens each)."""
        texts = [row["prompt"] + row["completion"] for row in self.rows]
        return [
            len(ids)
            for start in range(0, len(texts), CHUNK_ROWS)
            for ids in self.tokenizer(texts[start : start + CHUNK_ROWS]).input_ids
        ]


def warn_of_long_rows(run: RunInputs, max_length: int, cut: str) -> None:
    """Training cuts a row longer than max_length (`cut` says where, for the backend): a cut row loses part
    of what it teaches. Say so before training, where the daemon's job log shows it."""
    lengths = run.token_lengths()
    long_rows = sum(length > max_length for length in lengths)
    if long_rows:
        print(
            f"{long_rows} of {len(lengths)} rows are longer than max_length {max_length} (the longest has"
            f" {max(lengths)} tokens): training cuts them {cut}; raise max_length to keep them whole",
            file=sys.stderr,
        )


def model_name_of(recipe: Recipe) -> str:
    model_name = recipe.model
    if not model_name:
        raise TrainError("no model: the recipe names none", "pass --model NAME_OR_PATH", "model-missing")
    return model_name


def prepare_run(mode: str, recipe: Recipe, dataset_path: str) -> RunInputs:
    """Loads and checks everything a run needs before any model weights are read."""
    from .tokenizer_files import load_tokenizer

    model_name = model_name_of(recipe)
    dataset = load_dataset(dataset_path, mode)
    tokenizer = load_tokenizer(model_name)
    rows = render(dataset, tokenizer, mode)
    settings = recipe.for_mode(mode)
    if mode == "kto" and settings.batch_size < 2:
        raise TrainError(
            "KTO needs batch_size of 2 or more (its KL estimate mixes rows within a batch)",
            "raise batch_size",
            "recipe-invalid",
        )
    return RunInputs(
        model_name=model_name,
        dataset=dataset,
        tokenizer=tokenizer,
        rows=rows,
        settings=settings,
    )
