"""Recipes load into a typed, checked Recipe: mistakes are named at load, before any model is read."""

import pytest

from vault_tuner_train.errors import TrainError
from vault_tuner_train.recipes import RECIPES_DIR, load_recipe


def _refused(tmp_path, text: str) -> TrainError:
    recipe = tmp_path / "mine.yaml"
    recipe.write_text(text)
    with pytest.raises(TrainError) as raised:
        load_recipe(str(recipe))
    assert raised.value.code == "recipe-invalid"
    return raised.value


def test_every_shipped_recipe_loads():
    for path in sorted(RECIPES_DIR.glob("*.yaml")):
        recipe = load_recipe(path.stem)
        assert recipe.max_length > 0 and recipe.lora.target_modules


def test_a_recipe_inherits_its_base_and_reads_typed():
    tiny = load_recipe("tiny")
    assert tiny.model is None and tiny.lora.r == 8 and tiny.lora.target_modules == ("q_proj", "v_proj")
    # Inherited from default, and an int given where a float is meant reads as a float.
    assert tiny.kto.beta == 0.3 and tiny.scheduler == "cosine" and isinstance(tiny.warmup_ratio, float)
    assert load_recipe("tiny", {"model": "/models/m"}).model == "/models/m"


def test_sft_trains_with_its_own_section_over_the_top_level():
    default = load_recipe("default")
    assert default.for_mode("kto").learning_rate == 2.0e-7 and default.for_mode("kto").batch_size == 4
    sft = default.for_mode("sft")
    assert (sft.learning_rate, sft.batch_size, sft.gradient_accumulation, sft.epochs) == (2.0e-4, 6, 4, 3)


def test_mistakes_are_named_where_they_are(tmp_path):
    assert "'lora.rr'" in str(_refused(tmp_path, "base: tiny\nlora: {rr: 4}\n"))
    assert "'batch_size' is 'four'" in str(_refused(tmp_path, "base: tiny\nbatch_size: four\n"))
    assert "precision 'fp8'" in str(_refused(tmp_path, "base: tiny\nprecision: fp8\n"))
    assert "warmup_ratio" in str(_refused(tmp_path, "base: tiny\nwarmup_ratio: 1.5\n"))
    assert "'load_in_4bit' is 1" in str(_refused(tmp_path, "base: tiny\nload_in_4bit: 1\n"))
    assert "'max_length' is missing" in str(_refused(tmp_path, "batch_size: 4\n"))
