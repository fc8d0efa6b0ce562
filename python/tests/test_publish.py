"""`python -m vault_tuner_train publish` against a Hub stand-in on 127.0.0.1 (hub_standin.py): the real
huggingface_hub client creating the repo, uploading through Git LFS and committing."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hub_standin import HubStandin
from progress_schema import check_event

PYTHON_DIR = Path(__file__).resolve().parents[1]
TOKEN = "hf_standinSecretToken0123456789"


@pytest.fixture
def hub():
    standin = HubStandin(TOKEN)
    yield standin
    standin.close()


def publish(hub: HubStandin, tmp_path: Path, *args: str, token: str | None = TOKEN) -> tuple[int, list[dict], str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HF_")}
    # A home of its own (no login file), the stand-in's address, and the LFS path (the stand-in serves no Xet).
    env |= {"HF_HOME": str(tmp_path / "hf-home"), "HF_ENDPOINT": hub.endpoint, "HF_HUB_DISABLE_XET": "1"}
    if token is not None:
        env["HF_TOKEN"] = token
    done = subprocess.run(
        [sys.executable, "-m", "vault_tuner_train", "publish", *args],
        cwd=PYTHON_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    for event in events:
        check_event(event)
    assert TOKEN not in done.stdout + done.stderr, "the token must never be printed"
    return done.returncode, events, done.stderr


def model_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "to-publish"
    (folder / "adapter").mkdir(parents=True)
    (folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n# A tuned model\n")
    (folder / "adapter" / "adapter_config.json").write_text('{"r": 8}')
    (folder / "model-q4_k_m.gguf").write_bytes(os.urandom(3 << 20))
    (folder / "adapter" / "adapter_model.safetensors").write_bytes(os.urandom(2 << 20))
    (folder / ".cache").mkdir()
    (folder / ".cache" / "left-out").write_text("not published")
    return folder


def test_publish_creates_the_repo_and_commits_every_file_through_lfs(hub, tmp_path):
    folder = model_folder(tmp_path)
    code, events, stderr = publish(hub, tmp_path, "--folder", str(folder), "--repo", "alice/vault-model", "--private")
    assert code == 0, stderr
    repo = hub.repos["alice/vault-model"]
    assert repo.private and len(repo.commits) == 1
    expected = {
        "README.md",
        "adapter/adapter_config.json",
        "adapter/adapter_model.safetensors",
        "model-q4_k_m.gguf",
    }
    assert set(repo.files) == expected
    for name in expected:
        assert repo.files[name] == (folder / name).read_bytes(), name
    # The two large files went to LFS storage under their sha256, the small ones inline in the commit.
    assert set(hub.lfs) == {
        hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in ("model-q4_k_m.gguf", "adapter/adapter_model.safetensors")
    }
    stages = [event["stage"] for event in events if event["event"] == "stage"]
    assert stages == [f"upload {name}" for name in sorted(expected)] + ["commit"]
    done = events[-1]
    assert done["event"] == "done" and done["output"] == f"{hub.endpoint}/alice/vault-model"
    assert {item["path"]: item["bytes"] for item in done["published"]} == {
        name: (folder / name).stat().st_size for name in expected
    }
    # The token goes with every API call that changes something, never with the bytes to storage.
    for method, path, headers in hub.requests:
        if method == "POST":
            assert headers.get("authorization") == f"Bearer {TOKEN}", path
        if method == "PUT":
            assert "authorization" not in headers, path


def test_a_publish_broken_off_halfway_sends_only_what_is_missing_when_run_again(hub, tmp_path):
    folder = model_folder(tmp_path)
    gguf = hashlib.sha256((folder / "model-q4_k_m.gguf").read_bytes()).hexdigest()
    hub.refused_uploads.add(gguf)
    code, events, _ = publish(hub, tmp_path, "--folder", str(folder), "--repo", "alice/vault-model")
    assert code == 1 and events[-1]["code"] == "hub-error"
    assert hub.repos["alice/vault-model"].commits == []
    assert len(hub.lfs) == 1, "the adapter was uploaded before the break"

    hub.refused_uploads.clear()
    hub.requests.clear()
    code, events, stderr = publish(hub, tmp_path, "--folder", str(folder), "--repo", "alice/vault-model")
    assert code == 0, stderr
    assert [path for method, path, _ in hub.requests if method == "PUT"] == [f"/lfs/{gguf}"]
    assert len(hub.repos["alice/vault-model"].files) == 4
    assert not hub.repos["alice/vault-model"].private


def test_without_a_token_or_with_a_wrong_one_publish_says_what_to_do(hub, tmp_path):
    folder = model_folder(tmp_path)
    code, events, _ = publish(hub, tmp_path, "--folder", str(folder), "--repo", "alice/m", token=None)
    assert code == 1 and events[-1]["code"] == "hub-token-missing" and "HF_TOKEN" in events[-1]["hint"]
    assert hub.requests == [], "nothing may reach the Hub without a token"

    code, events, _ = publish(hub, tmp_path, "--folder", str(folder), "--repo", "alice/m", token="hf_wrong")
    assert code == 1 and events[-1]["code"] == "hub-unauthorized"
    assert hub.repos == {}


def test_publish_refuses_an_empty_folder_and_a_malformed_repo_name(hub, tmp_path):
    (tmp_path / "empty").mkdir()
    code, events, _ = publish(hub, tmp_path, "--folder", str(tmp_path / "empty"), "--repo", "alice/m")
    assert code == 1 and events[-1]["code"] == "publish-empty"
    code, events, _ = publish(hub, tmp_path, "--folder", str(model_folder(tmp_path)), "--repo", "no-owner")
    assert code == 1 and events[-1]["code"] == "publish-repo-invalid"
    assert hub.requests == []


def test_a_card_whose_metadata_the_hub_refuses_is_reported_before_anything_is_committed(hub, tmp_path):
    folder = model_folder(tmp_path)
    (folder / "README.md").write_text("---\nlicense: [unclosed\n---\n# A tuned model\n")
    code, events, _ = publish(hub, tmp_path, "--folder", str(folder), "--repo", "alice/m")
    assert code == 1 and events[-1]["code"] == "publish-card-invalid" and "README.md" in events[-1]["message"]
    assert hub.repos["alice/m"].commits == []
