"""What every training run starts from, whichever backend trains: the model's name, the checked and
rendered dataset, and the batch settings of the mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
