"""base-import on a real GGUF: a tiny Llama with Gemma's turn tokens, a tokenizer that adds BOS and no chat
template (what the Gemma 3 270M GGUF is), converted to GGUF by llama.cpp and imported back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import run
from test_export import export_args, llama_cpp  # noqa: F401  (fixture)
from tiny_model import corpus_of, make_tiny_model

TEMPLATES = Path(__file__).resolve().parents[1] / "vault_tuner_train" / "templates"


@pytest.fixture(scope="module")
def original(tmp_path_factory, starter_dataset) -> Path:
    return make_tiny_model(
        tmp_path_factory.mktemp("gemma-turns") / "model", corpus_of(starter_dataset), gemma_turns=True
    )


@pytest.fixture(scope="module")
def source_gguf(original, llama_cpp, tmp_path_factory) -> Path:  # noqa: F811
    from vault_tuner_train.gguf_files import convert_model

    target = tmp_path_factory.mktemp("gguf") / "base.gguf"
    convert_model(Path(llama_cpp["VAULT_TUNER_LLAMA_CPP"]), original, target, "f32")
    return target


@pytest.fixture(scope="module")
def imported(source_gguf, llama_cpp, tmp_path_factory) -> tuple[Path, list[dict]]:  # noqa: F811
    out = tmp_path_factory.mktemp("imported") / "tiny-gemma"
    code, events, stderr = run(
        "base-import",
        "--gguf",
        str(source_gguf),
        "--output",
        str(out),
        "--llama-cpp",
        llama_cpp["VAULT_TUNER_LLAMA_CPP"],
    )
    assert code == 0, stderr[-3000:]
    return out, events


def test_the_weights_are_the_original_model_s(imported, original):
    import torch
    from transformers import AutoModelForCausalLM

    out, events = imported
    assert [event["stage"] for event in events if event["event"] == "stage"] == [
        "read",
        "tokenizer",
        "weights",
        "save",
        "gguf",
    ]
    mine = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32).state_dict()
    theirs = AutoModelForCausalLM.from_pretrained(original, dtype=torch.float32).state_dict()
    assert mine.keys() == theirs.keys()
    for name, tensor in theirs.items():
        assert torch.allclose(mine[name], tensor, atol=1e-6), name


def test_a_base_without_a_tool_template_gets_the_turn_template_and_ends_turns_at_end_of_turn(imported):
    from transformers import AutoTokenizer

    out, _ = imported
    manifest = json.loads((out / "vault-tuner-base.json").read_text())
    template = (TEMPLATES / "gemma-turns-tools.jinja").read_text()
    assert manifest["chat_template"]["name"] == "gemma-turns-tools"
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert tokenizer.chat_template == template
    assert tokenizer.eos_token == "<end_of_turn>"
    assert json.loads((out / "generation_config.json").read_text())["eos_token_id"] == [
        tokenizer.convert_tokens_to_ids("<end_of_turn>")
    ]


def test_the_tokenizer_splits_text_as_the_original_and_adds_bos_once(imported, original):
    from transformers import AutoTokenizer

    out, _ = imported
    mine, theirs = AutoTokenizer.from_pretrained(out), AutoTokenizer.from_pretrained(original)
    text = "<start_of_turn>user\nMove Inbox/Plan.md to Projects/ please.<end_of_turn>\n<start_of_turn>model\n"
    assert mine(text).input_ids == theirs(text).input_ids
    assert mine(text).input_ids[:2].count(mine.bos_token_id) == 1


def test_the_gguf_s_sentencepiece_vocabulary_is_kept_piece_for_piece(imported, source_gguf):
    from sentencepiece import sentencepiece_model_pb2

    from vault_tuner_train.gguf_files import read_metadata

    out, _ = imported
    kept = sentencepiece_model_pb2.ModelProto()
    kept.ParseFromString((out / "tokenizer.model").read_bytes())
    source = read_metadata(source_gguf, ("tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"))
    assert [piece.piece for piece in kept.pieces] == source["tokenizer.ggml.tokens"]
    assert [piece.score for piece in kept.pieces] == pytest.approx(source["tokenizer.ggml.scores"])
    assert [int(piece.type) for piece in kept.pieces] == source["tokenizer.ggml.token_type"]
    assert kept.trainer_spec.byte_fallback and kept.normalizer_spec.name == "identity"


def test_model_gguf_is_the_source_file_with_the_tool_template(imported, source_gguf):
    from vault_tuner_train.gguf_files import read_metadata

    out, _ = imported
    keys = (
        "tokenizer.chat_template",
        "tokenizer.ggml.tokens",
        "tokenizer.ggml.eos_token_id",
        "tokenizer.ggml.add_bos_token",
    )
    written, source = read_metadata(out / "model.gguf", keys), read_metadata(source_gguf, keys)
    assert written["tokenizer.chat_template"] == (TEMPLATES / "gemma-turns-tools.jinja").read_text()
    assert "tokenizer.chat_template" not in source
    assert written["tokenizer.ggml.tokens"] == source["tokenizer.ggml.tokens"]
    assert written["tokenizer.ggml.tokens"][written["tokenizer.ggml.eos_token_id"]] == "<end_of_turn>"
    assert written["tokenizer.ggml.add_bos_token"] is True


def test_training_renders_and_tokenizes_with_the_template_and_one_bos(imported, starter_dataset):
    """What TRL's SFT trainer feeds the model is the template's text, BOS once, the completion ending at <end_of_turn>."""
    from datasets import Dataset as HfDataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from vault_tuner_train.data import load_dataset, render

    out, _ = imported
    tokenizer = AutoTokenizer.from_pretrained(out)
    rows = render(load_dataset(starter_dataset, "sft"), tokenizer, "sft")[:4]
    assert rows[0]["prompt"].startswith("<start_of_turn>user\n") and rows[0]["prompt"].endswith(
        "<start_of_turn>model\n"
    )
    assert "<tool_call>" in rows[0]["completion"] and rows[0]["completion"].endswith("<end_of_turn>")
    config = SFTConfig(
        output_dir=str(out.parent / "sft-check"), completion_only_loss=True, max_length=4096, report_to=[], use_cpu=True
    )
    trainer = SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(out),
        args=config,
        train_dataset=HfDataset.from_list(rows),
        processing_class=tokenizer,
    )
    for row, example in zip(rows, trainer.train_dataset, strict=True):
        expected = tokenizer(row["prompt"] + row["completion"]).input_ids
        assert example["input_ids"] == expected
        assert (
            example["input_ids"].count(tokenizer.bos_token_id) == 1
            and example["input_ids"][0] == tokenizer.bos_token_id
        )


def test_the_export_writes_the_source_vocabulary_and_the_template_back(
    imported,
    source_gguf,
    starter_dataset,
    llama_cpp,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from vault_tuner_train.gguf_files import read_metadata

    out, _ = imported
    trained = tmp_path / "run"
    code, _, stderr = run(
        "sft",
        "--config",
        "tiny",
        "--dataset",
        str(starter_dataset),
        "--model",
        str(out),
        "--output",
        str(trained),
        "--max-steps",
        "1",
        "--device",
        "cpu",
    )
    assert code == 0, stderr[-2000:]
    exported = tmp_path / "gguf"
    code, _, stderr = run(
        "export",
        "--run",
        str(trained),
        "--output",
        str(exported),
        "--quant",
        "q8_0",
        "--no-adapter",
        "--dtype",
        "float32",
        *export_args(llama_cpp),
    )
    assert code == 0, stderr[-3000:]
    keys = ("tokenizer.chat_template", "tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.add_bos_token")
    written, source = read_metadata(exported / "model-f32.gguf", keys), read_metadata(source_gguf, keys)
    assert written["tokenizer.ggml.model"] == "llama"  # SentencePiece, not a BPE guess from tokenizer.json
    assert written["tokenizer.ggml.tokens"] == source["tokenizer.ggml.tokens"]
    assert written["tokenizer.chat_template"] == (TEMPLATES / "gemma-turns-tools.jinja").read_text()
    assert written["tokenizer.ggml.add_bos_token"] is True


def test_bad_input_is_refused_with_what_and_where(tmp_path, source_gguf):
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("# not a model\n")
    code, events, _ = run("base-import", "--gguf", str(not_gguf), "--output", str(tmp_path / "a"))
    assert code == 1 and events[-1]["code"] == "model-invalid" and "notes.gguf" in events[-1]["message"]
    code, events, _ = run("base-import", "--gguf", str(tmp_path / "missing.gguf"), "--output", str(tmp_path / "b"))
    assert code == 1 and events[-1]["code"] == "model-missing"
    code, events, _ = run(
        "base-import", "--gguf", str(source_gguf), "--output", str(tmp_path / "c"), "--template", "no-such-template"
    )
    assert code == 1 and events[-1]["code"] == "usage" and "no-such-template" in events[-1]["message"]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.md").write_text("mine\n")
    code, events, _ = run("base-import", "--gguf", str(source_gguf), "--output", str(tmp_path / "d"))
    assert code == 1 and events[-1]["code"] == "usage" and "not empty" in events[-1]["message"]
    assert (tmp_path / "d" / "notes.md").read_text() == "mine\n"
