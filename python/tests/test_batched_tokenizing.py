from __future__ import annotations

import random

import pytest


def prepared(trainer_class, tiny_model, rows, tmp_path, extra=None, **config):
    """The train dataset a KTO trainer prepares from `rows` (no reference pass, LoRA so no second model);
    `extra`: more of the trainer's own arguments."""
    import torch
    from datasets import Dataset as HfDataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import KTOConfig

    trainer = trainer_class(
        model=AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32),
        args=KTOConfig(
            output_dir=str(tmp_path / trainer_class.__name__),
            report_to=[],
            use_cpu=True,
            precompute_ref_log_probs=False,
            **config,
        ),
        train_dataset=HfDataset.from_list(rows),
        processing_class=AutoTokenizer.from_pretrained(tiny_model),
        peft_config=LoraConfig(r=4, target_modules=["q_proj"], task_type="CAUSAL_LM"),
        **(extra or {}),
    )
    return trainer.train_dataset


def test_batched_preparation_gives_ktotrainers_columns_row_for_row(
    tiny_model, starter_dataset, tmp_path, monkeypatch, capsys
):
    """Chunks of 5 rows, KL pairs rotating within micro-batches of 3, a max_length that drops the rows whose
    prompt fills it, and rows whose prompt ends inside a word (its tokens merge with the completion's, so
    the split moves): every column equals TRL's, in TRL's order."""
    from transformers import AutoTokenizer
    from trl import KTOTrainer

    from vault_tuner_train import batched_tokenizing
    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.fast_kto import FastKTOTrainer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    rows = render(load_dataset(starter_dataset, "kto"), tokenizer, "kto")[:40]
    for row in rows[::4]:
        row["prompt"], row["completion"] = row["prompt"] + "Tool cal", "ls follow." + row["completion"]
    lengths = sorted(len(tokenizer(row["prompt"]).input_ids) for row in rows)
    max_length = lengths[len(lengths) // 2]
    monkeypatch.setattr(batched_tokenizing, "CHUNK_ROWS", 5)
    config = {"max_length": max_length, "per_device_train_batch_size": 3}

    # The stages it reports prove the batched path ran (were TRL's method renamed, KTOTrainer's would).
    reported = []

    def stages(stage, total):
        return lambda index: reported.append((stage, index, total))

    ours = prepared(FastKTOTrainer, tiny_model, rows, tmp_path, {"stages": stages}, **config)
    assert reported == [("tokenizing", index, 8) for index in range(1, 9)], "40 rows in chunks of 5"
    assert "prompt and completion (the chat template" in capsys.readouterr().err
    theirs = prepared(KTOTrainer, tiny_model, rows, tmp_path, **config)

    assert 0 < len(ours) < len(rows), "some rows should be dropped and some kept"
    assert ours.column_names == theirs.column_names
    assert ours.features == theirs.features
    assert ours.to_list() == theirs.to_list()
    moved = [row for row in ours if len(row["prompt_ids"]) < len(tokenizer(row["prompt"]).input_ids)]
    assert moved, "no kept row exercised a moved split"


def test_other_row_shapes_are_left_to_ktotrainer(tiny_model):
    from datasets import Dataset as HfDataset
    from transformers import AutoTokenizer

    from vault_tuner_train.batched_tokenizing import applies

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    text = {"prompt": "a", "completion": "b", "label": True}
    assert applies(HfDataset.from_list([text]), tokenizer)
    conversational = {
        "prompt": [{"role": "user", "content": "a"}],
        "completion": [{"role": "assistant", "content": "b"}],
    }
    assert not applies(HfDataset.from_list([{**conversational, "label": True}]), tokenizer)
    assert not applies(HfDataset.from_list([{**text, "tools": "[]"}]), tokenizer)
    assert not applies(HfDataset.from_list([{"prompt": "a", "chosen": "b", "rejected": "c"}]), tokenizer)
    assert not applies(HfDataset.from_list([text]).to_iterable_dataset(), tokenizer)


@pytest.mark.parametrize("seed", range(5))
def test_common_prefix_is_trls(seed):
    from trl.data_utils import common_prefix_length

    from vault_tuner_train.batched_tokenizing import common_prefix

    rng = random.Random(seed)
    for _ in range(200):
        ids = [rng.randrange(4) for _ in range(rng.randrange(8))]
        other = ids[: rng.randrange(len(ids) + 1)] + [rng.randrange(4) for _ in range(rng.randrange(8))]
        assert common_prefix(ids, other) == common_prefix_length(ids, other)
