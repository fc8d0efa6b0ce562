from __future__ import annotations

from vault_tuner_train.train import last_checkpoint


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
