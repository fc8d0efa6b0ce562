from __future__ import annotations

from vault_tuner_train.recipes import load_recipe
from vault_tuner_train.train import last_checkpoint, prune_checkpoints, step_budget


def test_resume_takes_the_highest_complete_checkpoint_by_step_number(tmp_path):
    for step, complete in ((2, True), (9, True), (10, True), (12, False)):
        folder = tmp_path / f"checkpoint-{step}"
        folder.mkdir()
        if complete:
            (folder / "trainer_state.json").write_text("{}")
    # checkpoint-10 sorts before checkpoint-9 as text; checkpoint-12 was cut off before its state was written.
    assert last_checkpoint(tmp_path) == tmp_path / "checkpoint-10"


def test_resume_without_checkpoints_starts_from_the_beginning(tmp_path):
    (tmp_path / "checkpoint-3").mkdir()
    assert last_checkpoint(tmp_path) is None


def test_only_the_newest_checkpoints_are_kept(tmp_path):
    for step in (2, 4, 6, 8, 10):
        (tmp_path / f"checkpoint-{step}").mkdir()
    (tmp_path / "adapter").mkdir()
    prune_checkpoints(tmp_path, 3)
    assert sorted(folder.name for folder in tmp_path.iterdir()) == [
        "adapter",
        "checkpoint-10",
        "checkpoint-6",
        "checkpoint-8",
    ]


def test_a_recipe_step_budget_applies_unless_the_command_line_asks_for_steps():
    tiny = load_recipe("tiny")
    assert tiny.max_steps == 20 and tiny.save_total_limit == 3
    assert step_budget(None, tiny) == 20
    assert step_budget(4, tiny) == 4
    assert step_budget(None, load_recipe("default")) is None
