from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_cli import run
from tiny_model import corpus_of, make_tiny_model


@pytest.fixture(scope="module")
def llama_cpp() -> dict[str, str]:
    """The llama.cpp sources and libllama `vault-tuner python test` unpacks from node-llama-cpp."""
    names = ("VAULT_TUNER_LLAMA_CPP", "VAULT_TUNER_LIBLLAMA", "VAULT_TUNER_LLAMA_CPP_RELEASE")
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not set: run these tests with `npx vault-tuner python test`, which provides the llama.cpp tools"
        )
    return {name: os.environ[name] for name in names}


def export_args(tools: dict[str, str]) -> list[str]:
    return [
        "--llama-cpp",
        tools["VAULT_TUNER_LLAMA_CPP"],
        "--libllama",
        tools["VAULT_TUNER_LIBLLAMA"],
        "--llama-cpp-release",
        tools["VAULT_TUNER_LLAMA_CPP_RELEASE"],
    ]


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory, starter_dataset) -> Path:
    # 256 wide, so the K-quants have whole 256-value blocks to quantize rather than falling back.
    model = make_tiny_model(tmp_path_factory.mktemp("wide") / "tiny", corpus_of(starter_dataset), hidden_size=256)
    out = tmp_path_factory.mktemp("run") / "kto"
    code, _, stderr = run(
        "kto",
        "--config",
        "tiny",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(model),
        "--output",
        str(out),
        "--max-steps",
        "2",
        "--device",
        "cpu",
    )
    assert code == 0, stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def exported(trained_run, llama_cpp, tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("export") / "gguf"
    code, events, stderr = run("export", "--run", str(trained_run), "--output", str(out), *export_args(llama_cpp))
    assert code == 0, stderr[-3000:]
    return out, events


def read_fields(tools: dict[str, str], path: Path, *keys: str) -> dict:
    from vault_tuner_train.gguf_files import read_metadata

    return read_metadata(path, keys)


def test_export_writes_f16_q4_k_m_q8_0_and_the_adapter_with_stage_progress(exported, llama_cpp, trained_run):
    out, events = exported
    stages = [event for event in events if event["event"] == "stage"]
    assert [stage["stage"] for stage in stages] == [
        "merge",
        "convert",
        "quantize q4_k_m",
        "quantize q8_0",
        "adapter",
        "check",
    ]
    assert [stage["index"] for stage in stages] == [1, 2, 3, 4, 5, 6] and all(stage["total"] == 6 for stage in stages)
    files = {entry["kind"]: entry for entry in events[-1]["files"]}
    assert set(files) == {"f16", "q4_k_m", "q8_0", "adapter"}
    for entry in files.values():
        path = out / entry["name"]
        assert path.stat().st_size == entry["bytes"] and len(entry["sha256"]) == 64
    # llama_ftype: 1 = mostly F16, 15 = Q4_K_M, 7 = Q8_0.
    file_types = {
        kind: read_fields(llama_cpp, out / files[kind]["name"], "general.file_type")["general.file_type"]
        for kind in ("f16", "q4_k_m", "q8_0")
    }
    assert file_types == {"f16": 1, "q4_k_m": 15, "q8_0": 7}
    assert files["q4_k_m"]["bytes"] < files["q8_0"]["bytes"] < files["f16"]["bytes"]
    assert read_fields(llama_cpp, out / files["adapter"]["name"], "general.type")["general.type"] == "adapter"
    manifest = json.loads((out / "export.json").read_text())
    assert manifest["files"] == events[-1]["files"]
    assert (
        manifest["chat_template_sha256"]
        == json.loads((trained_run / "training.json").read_text())["chat_template_sha256"]
    )
    assert not list(out.glob("*.partial")), "no half-written files are left behind"


def test_every_model_gguf_carries_the_chat_template_training_rendered_with(exported, llama_cpp, trained_run):
    import hashlib

    out, events = exported
    expected = json.loads((trained_run / "training.json").read_text())["chat_template_sha256"]
    for entry in events[-1]["files"]:
        if entry["kind"] != "adapter":
            template = read_fields(llama_cpp, out / entry["name"], "tokenizer.chat_template")["tokenizer.chat_template"]
            assert hashlib.sha256(template.encode()).hexdigest() == expected


def test_a_gguf_with_another_chat_template_is_refused(exported, llama_cpp):
    from vault_tuner_train.errors import TrainError
    from vault_tuner_train.export import check_chat_template

    out, _ = exported
    with pytest.raises(TrainError, match="other than the one training rendered with") as refused:
        check_chat_template(out / "model-q8_0.gguf", "0" * 64)
    assert refused.value.code == "template-mismatch"


def test_export_refuses_a_run_whose_tokenizer_template_was_changed_after_training(trained_run, llama_cpp, tmp_path):
    tampered = tmp_path / "run"
    shutil.copytree(trained_run, tampered)
    (tampered / "adapter" / "chat_template.jinja").write_text("{{ messages }}")
    code, events, _ = run("export", "--run", str(tampered), "--output", str(tmp_path / "out"), *export_args(llama_cpp))
    assert code == 1
    assert events[-1]["event"] == "error" and events[-1]["code"] == "template-mismatch"
    assert not list((tmp_path / "out").glob("*.gguf")), "nothing is converted from a mismatched run"
