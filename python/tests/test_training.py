from __future__ import annotations

import json
from pathlib import Path

from test_cli import run


def test_kto_trains_a_few_steps_with_progress_and_saves_the_adapter(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "kto"
    code, events, stderr = run("kto", "--config", "tiny", "--dataset", str(starter_dataset), "--model", str(tiny_model), "--output", str(out), "--max-steps", "4", "--device", "cpu")
    assert code == 0, stderr[-2000:]
    kinds = [event["event"] for event in events]
    assert kinds[0] == "start" and kinds[-1] == "done"
    steps = [event for event in events if event["event"] == "step"]
    assert [step["step"] for step in steps] == [1, 2, 3, 4]
    assert all(step["total"] == 4 and step["loss"] > 0 for step in steps)
    assert "rewards_margins" in steps[-1] or "rewards_chosen" in steps[-1]
    assert steps[-1]["eta_s"] == 0.0
    assert "checkpoint" in kinds
    summary = json.loads((out / "training.json").read_text())
    assert summary["steps"] == 4
    assert (out / "adapter" / "adapter_model.safetensors").is_file()
    assert (out / "adapter" / "tokenizer_config.json").is_file()


def test_kto_resumes_from_its_last_checkpoint(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "resume"
    assert run("kto", "--config", "tiny", "--dataset", str(starter_dataset), "--model", str(tiny_model), "--output", str(out), "--max-steps", "2", "--device", "cpu")[0] == 0
    code, events, stderr = run("kto", "--config", "tiny", "--dataset", str(starter_dataset), "--model", str(tiny_model), "--output", str(out), "--max-steps", "4", "--device", "cpu", "--resume")
    assert code == 0, stderr[-2000:]
    assert [event["step"] for event in events if event["event"] == "step"] == [3, 4]


def test_sft_trains_on_the_completion_only(tiny_model, starter_dataset, tmp_path):
    out = tmp_path / "sft"
    code, events, stderr = run("sft", "--config", "tiny", "--dataset", str(starter_dataset), "--model", str(tiny_model), "--output", str(out), "--max-steps", "3", "--device", "cpu")
    assert code == 0, stderr[-2000:]
    assert [event["step"] for event in events if event["event"] == "step"] == [1, 2, 3]
    assert (out / "adapter" / "adapter_model.safetensors").is_file()
