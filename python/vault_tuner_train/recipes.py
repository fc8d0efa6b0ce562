"""Training recipes: YAML files under python/recipes/, a `base` to inherit from, and overrides, read into
a typed, checked Recipe (the alignment-handbook habit: bad settings fail at load, not mid-run)."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from .errors import TrainError

RECIPES_DIR = Path(__file__).resolve().parent.parent / "recipes"

PRECISIONS = ("bf16", "fp16", "fp32")


def _invalid(message: str, hint: str = "") -> TrainError:
    return TrainError(message, hint, "recipe-invalid")


@dataclass(frozen=True)
class LoraSettings:
    r: int
    alpha: int
    dropout: float
    target_modules: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.r < 1 or self.alpha < 1:
            raise _invalid(f"lora r and alpha must be 1 or more (r {self.r}, alpha {self.alpha})")
        if not 0 <= self.dropout < 1:
            raise _invalid(f"lora dropout must be in [0, 1), not {self.dropout}")
        if not self.target_modules:
            raise _invalid("lora target_modules is empty: name the layers to adapt (q_proj, v_proj...)")


@dataclass(frozen=True)
class KtoSettings:
    beta: float
    desirable_weight: float
    undesirable_weight: float

    def __post_init__(self) -> None:
        if self.beta <= 0 or self.desirable_weight <= 0 or self.undesirable_weight <= 0:
            raise _invalid(f"kto beta and weights must be positive ({self})")


@dataclass(frozen=True)
class SftSettings:
    """What SFT trains with instead of the top-level settings; unset ones fall back to those."""

    learning_rate: float | None = None
    batch_size: int | None = None
    gradient_accumulation: int | None = None
    epochs: float | None = None


@dataclass(frozen=True)
class ModeSettings:
    """The batch and schedule settings of one mode (KTO: the top level; SFT: its section over it)."""

    batch_size: int
    gradient_accumulation: int
    epochs: float
    learning_rate: float


@dataclass(frozen=True)
class Recipe:
    max_length: int
    lora: LoraSettings
    batch_size: int
    gradient_accumulation: int
    learning_rate: float
    kto: KtoSettings
    max_grad_norm: float
    scheduler: str
    warmup_ratio: float
    epochs: float
    optimizer: str
    precision: str
    load_in_4bit: bool
    gradient_checkpointing: bool
    save_steps: int
    save_total_limit: int
    logging_steps: int
    #: The model to train when the command line names none.
    model: str | None = None
    sft: SftSettings = field(default_factory=SftSettings)
    #: KTO: one pass of the frozen base before training instead of two reference passes per step.
    precompute_ref_log_probs: bool = False
    #: A step budget (None: the whole epochs); --max-steps overrides it.
    max_steps: int | None = None

    def __post_init__(self) -> None:
        for name in (
            "max_length",
            "batch_size",
            "gradient_accumulation",
            "save_steps",
            "save_total_limit",
            "logging_steps",
        ):
            if getattr(self, name) < 1:
                raise _invalid(f"recipe setting {name!r} must be 1 or more, not {getattr(self, name)}")
        if self.learning_rate <= 0 or self.max_grad_norm <= 0 or self.epochs <= 0:
            raise _invalid("learning_rate, max_grad_norm and epochs must be positive")
        if not 0 <= self.warmup_ratio < 1:
            raise _invalid(f"warmup_ratio must be in [0, 1), not {self.warmup_ratio}")
        if self.precision not in PRECISIONS:
            raise _invalid(f"precision {self.precision!r} is not one of {', '.join(PRECISIONS)}")
        if self.max_steps is not None and self.max_steps < 1:
            raise _invalid(f"max_steps must be 1 or more (or null for whole epochs), not {self.max_steps}")

    def for_mode(self, mode: str) -> ModeSettings:
        """The batch and schedule settings `mode` trains with."""
        sft = self.sft if mode == "sft" else SftSettings()
        return ModeSettings(
            batch_size=sft.batch_size or self.batch_size,
            gradient_accumulation=sft.gradient_accumulation or self.gradient_accumulation,
            epochs=sft.epochs or self.epochs,
            learning_rate=sft.learning_rate or self.learning_rate,
        )

    def as_dict(self) -> dict[str, Any]:
        """The recipe as run records keep it (training.json)."""
        return dataclasses.asdict(self)


def _build(kind: type, settings: dict[str, Any], where: str) -> Any:
    """A settings dataclass from a mapping: unknown keys, missing keys and wrong types are named."""
    hints = get_type_hints(kind)
    fields = {f.name: f for f in dataclasses.fields(kind)}
    unknown = sorted(set(settings) - set(fields))
    if unknown:
        raise _invalid(
            f"unknown recipe setting {where + unknown[0]!r}",
            f"known settings{' of ' + where.rstrip('.') if where else ''}: {', '.join(sorted(fields))}",
        )
    missing = [
        name
        for name, f in fields.items()
        if name not in settings and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise _invalid(f"recipe setting {where + missing[0]!r} is missing", "set it, or inherit it with base: default")
    values: dict[str, Any] = {}
    for name, value in settings.items():
        values[name] = _typed(hints[name], value, f"{where}{name}")
    return kind(**values)


def _typed(hint: Any, value: Any, where: str) -> Any:
    """`value` as the field's type wants it (a section becomes its dataclass; an int is a float too)."""
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise _invalid(f"recipe setting {where!r} must be a mapping of settings, not {value!r}")
        return _build(hint, value, f"{where}.")
    options = getattr(hint, "__args__", None) if getattr(hint, "__origin__", None) is not tuple else None
    allowed = tuple(option for option in (options or (hint,)) if option is not type(None))
    if value is None:
        if options and type(None) in options:
            return None
        raise _invalid(f"recipe setting {where!r} cannot be null")
    origin = getattr(hint, "__origin__", None)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _invalid(f"recipe setting {where!r} must be a list of names, not {value!r}")
        return tuple(value)
    for kind in allowed:
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind in (str, bool) and isinstance(value, kind):
            return value
    names = "/".join(getattr(kind, "__name__", str(kind)) for kind in allowed)
    raise _invalid(f"recipe setting {where!r} is {value!r}, which is not a {names}")


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


def load_recipe(name_or_path: str, overrides: dict[str, Any] | None = None) -> Recipe:
    """The recipe with its bases applied (base first), then the overrides; checked setting by setting."""
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
    return _build(Recipe, recipe, "")
