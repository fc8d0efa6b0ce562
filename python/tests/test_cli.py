from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from progress_schema import check_event

PYTHON_DIR = Path(__file__).resolve().parents[1]


def run(*args: str) -> tuple[int, list[dict], str]:
    """Runs the command line as the daemon does; returns the exit code, the events and stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "vault_tuner_train", *args], cwd=PYTHON_DIR, capture_output=True, text=True, timeout=600
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    for event in events:
        check_event(event)
    return done.returncode, events, done.stderr


def test_help_answers_before_any_heavy_import():
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "vault_tuner_train", "kto", "--help"], cwd=PYTHON_DIR, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "--config" in done.stdout
    # The same guarantee without a clock: the help path never loads torch.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, vault_tuner_train.cli as c\ntry:\n c.main(['kto','--help'])\nexcept SystemExit: pass\nprint('torch' in sys.modules)",
        ],
        cwd=PYTHON_DIR,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip().endswith("False")
    assert time.monotonic() - started < 60


def test_dry_run_checks_everything_and_trains_nothing(tiny_model, starter_dataset, tmp_path):
    code, events, _ = run(
        "kto",
        "--config",
        "tiny",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(tiny_model),
        "--output",
        str(tmp_path / "out"),
        "--dry-run",
    )
    assert code == 0
    assert [event["event"] for event in events] == ["done"]
    assert events[0]["dry_run"] is True
    assert events[0]["examples"] == 506
    assert len(events[0]["chat_template_sha256"]) == 64
    assert not (tmp_path / "out").exists()


def test_a_bad_dataset_line_is_named(tiny_model, starter_dataset, tmp_path):
    lines = (starter_dataset / "train.jsonl").read_text().splitlines()
    broken = tmp_path / "train.jsonl"
    broken.write_text(
        "\n".join(lines[:6] + ['{"prompt": "text", "completion": [], "label": true}'] + lines[6:10]) + "\n"
    )
    (tmp_path / "toolsets").mkdir()
    (tmp_path / "toolsets" / "claudesidian-3.json").write_text(
        (starter_dataset / "toolsets" / "claudesidian-3.json").read_text()
    )
    code, events, _ = run("kto", "--config", "tiny", "--dataset", str(broken), "--model", str(tiny_model), "--dry-run")
    assert code == 1
    assert events[-1]["event"] == "error"
    assert events[-1]["code"] == "dataset-invalid"
    assert f"{broken}:7:" in events[-1]["message"]
    assert "prompt" in events[-1]["message"]


def test_unknown_recipe_settings_and_missing_recipes_are_refused(tiny_model, starter_dataset, tmp_path):
    recipe = tmp_path / "mine.yaml"
    recipe.write_text("base: tiny\nbatch_sise: 8\n")
    code, events, _ = run(
        "kto", "--config", str(recipe), "--dataset", str(starter_dataset), "--model", str(tiny_model), "--dry-run"
    )
    assert code == 1 and "batch_sise" in events[-1]["message"]
    code, events, _ = run("kto", "--config", "70b", "--dataset", str(starter_dataset), "--dry-run")
    assert code == 1 and events[-1]["code"] == "recipe-missing" and "tiny" in events[-1]["hint"]


def test_the_trainer_stops_when_the_daemon_that_started_it_is_gone(tiny_model, starter_dataset, tmp_path):
    """Under torchrun the daemon is not the trainer's parent: the trainer watches the daemon's pid too."""
    import os

    daemon = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    trainer = subprocess.Popen(
        [sys.executable, "-m", "vault_tuner_train", "kto", "--config", "tiny", "--dataset", str(starter_dataset)]
        + ["--model", str(tiny_model), "--output", str(tmp_path / "out"), "--max-steps", "1000", "--device", "cpu"],
        cwd=PYTHON_DIR,
        env={**os.environ, "VAULT_TUNER_PARENT_PID": str(daemon.pid)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        assert trainer.poll() is None, "the trainer stopped while its daemon lived"
        daemon.kill()
        daemon.wait()
        _, stderr = trainer.communicate(timeout=60)
        assert trainer.returncode == 143 and "the daemon that started this trainer is gone" in stderr
    finally:
        trainer.kill()
        daemon.kill()
