"""Training recipes: YAML files under python/recipes/, a `base` to inherit from, and overrides."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .errors import TrainError

RECIPES_DIR = Path(__file__).resolve().parent.parent / "recipes"

# Every key a recipe may set, and the type it must have; anything else is a typo to report.
KNOWN_KEYS: dict[str, tuple[type, ...]] = {
    "base": (str,),
    "model": (str, type(None)),
    "max_length": (int,),
    "lora": (dict,),
    "batch_size": (int,),
    "gradient_accumulation": (int,),
    "learning_rate": (float, int),
    "kto": (dict,),
    "sft": (dict,),
    "max_grad_norm": (float, int),
    "scheduler": (str,),
    "warmup_ratio": (float, int),
    "epochs": (int, float),
    "optimizer": (str,),
    "precision": (str,),
    "load_in_4bit": (bool,),
    "gradient_checkpointing": (bool,),
    "precompute_ref_log_probs": (bool,),
    "save_steps": (int,),
    "save_total_limit": (int,),
    "max_steps": (int, type(None)),
    "logging_steps": (int,),
}


def _read(name_or_path: str) -> tuple[dict[str, Any], Path]:
    path = Path(name_or_path)
    if not path.suffix:
        path = RECIPES_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        names = ", ".join(sorted(p.stem for p in RECIPES_DIR.glob("*.yaml")))
        raise TrainError(f"no recipe {name_or_path}", f"use one of {names} or a path to a .yaml file", "recipe-missing")
    import yaml

    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise TrainError(f"{path} is not valid YAML: {error}", "", "recipe-invalid") from error
    if not isinstance(data, dict):
        raise TrainError(f"{path} must hold a mapping of settings", "", "recipe-invalid")
    return data, path


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_recipe(name_or_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The recipe with its bases applied (base first), then the overrides; checked key by key."""
    chain: list[dict[str, Any]] = []
    seen: set[Path] = set()
    current: str | None = name_or_path
    while current is not None:
        data, path = _read(current)
        if path in seen:
            raise TrainError(f"recipe {path} inherits from itself", "", "recipe-invalid")
        seen.add(path)
        chain.insert(0, data)
        current = data.get("base")
    recipe: dict[str, Any] = {}
    for data in chain:
        recipe = _merge(recipe, data)
    recipe = _merge(recipe, {key: value for key, value in (overrides or {}).items() if value is not None})
    recipe.pop("base", None)
    for key, value in recipe.items():
        if key not in KNOWN_KEYS:
            raise TrainError(f"unknown recipe setting {key!r}", f"known settings: {', '.join(sorted(KNOWN_KEYS))}", "recipe-invalid")
        if not isinstance(value, KNOWN_KEYS[key]) or (isinstance(value, bool) and bool not in KNOWN_KEYS[key]):
            raise TrainError(f"recipe setting {key!r} is {value!r}, which is not a {'/'.join(t.__name__ for t in KNOWN_KEYS[key])}", "", "recipe-invalid")
    return recipe
