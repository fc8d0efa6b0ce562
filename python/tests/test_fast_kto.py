from __future__ import annotations

import pytest


def build_trainers(
    tiny_model, starter_dataset, tmp_path, precompute: bool, packed: bool = False, trl_precompute=False, **our_config
):
    """KTOTrainer and FastKTOTrainer over two copies of one PEFT model. TRL keeps the adapter it is given
    as the reference ("ref"); the trained adapter is then moved away from it, identically in both, so
    the log-ratios, the rewards and the KL term are all in play."""
    import copy

    import torch
    from datasets import Dataset as HfDataset
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import KTOConfig, KTOTrainer

    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.fast_kto import FastKTOTrainer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    rows = render(load_dataset(starter_dataset, "kto"), tokenizer, "kto")[:8]
    torch.manual_seed(0)
    model = get_peft_model(
        AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32),
        LoraConfig(
            r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj", "up_proj"], task_type="CAUSAL_LM"
        ),
    )

    def config(name: str, **extra):
        return KTOConfig(
            output_dir=str(tmp_path / name),
            per_device_train_batch_size=4,
            report_to=[],
            use_cpu=True,
            bf16=extra.pop("bf16", False),
            max_length=512,
            beta=0.3,
            desirable_weight=1.3,
            undesirable_weight=0.8,
            gradient_checkpointing=False,
            **extra,
        )

    data = HfDataset.from_list(rows)
    twin = copy.deepcopy(model)
    trl = KTOTrainer(
        model=model,
        args=config("trl", precompute_ref_log_probs=trl_precompute),
        train_dataset=data,
        processing_class=tokenizer,
    )
    ours = FastKTOTrainer(
        packed=packed,
        model=twin,
        args=config("ours", precompute_ref_log_probs=precompute, **{"precompute_ref_batch_size": 8, **our_config}),
        train_dataset=data,
        processing_class=tokenizer,
    )
    for peft_model in (trl.model, ours.model):
        generator = torch.Generator().manual_seed(1)
        with torch.no_grad():
            for name, parameter in sorted(peft_model.named_parameters()):
                if "lora_B" in name and ".default." in name:
                    parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5)
    return trl, ours


def loss_and_grads(trainer, batch):
    model = trainer.model
    model.train()
    model.zero_grad()
    loss = trainer._compute_loss(model, batch, False)
    loss.backward()
    return loss.item(), {
        name: parameter.grad.clone() for name, parameter in model.named_parameters() if parameter.requires_grad
    }


@pytest.mark.parametrize(
    ("precompute", "packed"),
    [(True, False), (False, False), (True, True), (False, True)],
    ids=["precomputed-reference", "live-reference", "packed-precomputed-reference", "packed-live-reference"],
)
def test_fast_kto_gives_trls_loss_gradients_and_metrics_on_the_same_batch(
    tiny_model, starter_dataset, tmp_path, monkeypatch, precompute, packed
):
    import torch

    from vault_tuner_train import fast_kto

    trl, ours = build_trainers(tiny_model, starter_dataset, tmp_path, precompute, packed)
    assert ours._fast and ours._packed == packed, "the test model must take the fast path"
    trl_batch = next(iter(trl.get_train_dataloader()))
    our_batch = next(iter(ours.get_train_dataloader()))
    assert ("ref_logps" in our_batch) == precompute
    if packed:
        # The same rows without padding, and the tools prompt they all begin with held once.
        rows = [ids[mask.bool()] for ids, mask in zip(trl_batch["input_ids"], trl_batch["attention_mask"], strict=True)]
        shared = our_batch["shared"]
        assert shared > 20 and len(our_batch["packed_ids"]) == sum(len(row) for row in rows) - 3 * shared
        assert torch.equal(our_batch["packed_ids"][: len(rows[0])], rows[0])
        assert int(our_batch["row_tokens"]) == sum(len(row) for row in rows)
    else:
        assert torch.equal(trl_batch["input_ids"], our_batch["input_ids"])
    assert trl_batch["label"].tolist() == [True, False, True, False]

    trl_loss, trl_grads = loss_and_grads(trl, trl_batch)
    embedded: list[int] = []
    real = fast_kto.last_hidden_state
    monkeypatch.setattr(
        fast_kto,
        "last_hidden_state",
        lambda model, **inputs: embedded.append(inputs["input_ids"].numel()) or real(model, **inputs),
    )
    our_loss, our_grads = loss_and_grads(ours, our_batch)
    if packed:
        # The policy rows run their prefix; the KL rows (and a live reference's) read its keys and values.
        kl_rows = len(our_batch["KL_packed_ids"]) - our_batch["KL_shared"]
        live = [] if precompute else [len(our_batch["packed_ids"]), kl_rows]
        assert our_batch["shared_ids"].startswith(our_batch["KL_shared_ids"])
        assert embedded == [len(our_batch["packed_ids"]), kl_rows, *live]
    assert not ours._metrics["train"], "metrics are read back when the trainer logs, not each micro-batch"
    ours.read_metrics()
    assert trl_grads and set(trl_grads) == set(our_grads)
    assert abs(trl_loss - 0.5) > 1e-3, "the batch must exercise the loss, not sit at sigmoid(0)"
    assert trl._metrics["train"]["kl"][-1] > 0.01, "the KL term must be in play"
    assert our_loss == pytest.approx(trl_loss, abs=1e-5)
    for name, grad in trl_grads.items():
        assert torch.allclose(our_grads[name], grad, rtol=1e-3, atol=1e-6), name
    for key in (
        "kl",
        "entropy",
        "logps/chosen",
        "logps/rejected",
        "rewards/chosen",
        "rewards/rejected",
        "rewards/margins",
        "logits/chosen",
        "logits/rejected",
    ):
        assert ours._metrics["train"][key][-1] == pytest.approx(trl._metrics["train"][key][-1], rel=1e-4, abs=1e-4), key
    assert ours._metrics["train"]["num_tokens"] == trl._metrics["train"]["num_tokens"]


def test_packed_batches_train_through_the_trainers_own_loop(tiny_model, starter_dataset, tmp_path):
    """The packed batch (with its plain-integer layout fields) through Trainer.train: input preparation,
    accumulation, the optimizer step, logging."""
    import torch

    _, ours = build_trainers(tiny_model, starter_dataset, tmp_path, precompute=True, packed=True)
    ours.args.max_steps, ours.args.logging_steps = 2, 1
    before = {name: p.detach().clone() for name, p in ours.model.named_parameters() if p.requires_grad}
    result = ours.train()
    after = dict(ours.model.named_parameters())
    assert ours.state.global_step == 2 and 0 < result.training_loss < 1
    assert any(not torch.equal(after[name], weight) for name, weight in before.items())
    assert [entry["step"] for entry in ours.state.log_history if "loss" in entry] == [1, 2]


def test_the_packed_reference_pass_runs_the_shared_prefix_once_and_gives_trls_columns(
    tiny_model, starter_dataset, tmp_path, monkeypatch
):
    """The reference pass over four batches of two rows (and their KL rows) that share the tools prompt: the
    first pass runs the prefix, later ones read its keys and values where it covers theirs, and the columns
    are KTOTrainer's own precomputed ones."""
    from vault_tuner_train import fast_kto

    embedded: list[int] = []
    real = fast_kto.last_hidden_state

    def counted(model, **inputs):
        embedded.append(inputs["input_ids"].numel())
        return real(model, **inputs)

    monkeypatch.setattr(fast_kto, "last_hidden_state", counted)
    trl, ours = build_trainers(
        tiny_model, starter_dataset, tmp_path, True, True, trl_precompute=True, precompute_ref_batch_size=2
    )
    monkeypatch.undo()
    for column in ("ref_logps", "ref_KL_logps"):
        assert ours.train_dataset[column] == pytest.approx(trl.train_dataset[column], rel=1e-5, abs=1e-4), column
    batches = [ours.data_collator([ours.train_dataset[i] for i in (start, start + 1)]) for start in range(0, 8, 2)]
    # Each pass (a batch's rows, then its KL rows) runs its rows alone where the kept prefix begins with its
    # own, and otherwise runs its prefix too and keeps that one: two rows can share more than the tools.
    kept, expected, reads = b"", [], 0
    for batch in batches:
        for key in ("", "KL_"):
            own = batch[key + "shared_ids"]
            assert own, "every pass's rows share the tools prompt"
            read = kept.startswith(own)
            expected.append(len(batch[key + "packed_ids"]) - (batch[key + "shared"] if read else 0))
            kept, reads = (kept if read else own), reads + read
    assert embedded == expected and reads >= 5


def test_the_fast_path_skips_trls_weight_hash(tiny_model, starter_dataset, tmp_path, monkeypatch):
    """KTOTrainer hashes every weight to name a cache the fast path's reference pass does not keep."""
    from trl.trainer import kto_trainer

    hashed = []
    real = kto_trainer.hash_module
    monkeypatch.setattr(kto_trainer, "hash_module", lambda module: hashed.append(module) or real(module))
    trl, ours = build_trainers(tiny_model, starter_dataset, tmp_path, precompute=True, trl_precompute=True)
    assert ours._fast and "ref_logps" in ours.train_dataset.column_names
    # KTOTrainer's own hash, seen by the spy; none for ours, and the spy back in place after it.
    assert hashed == [trl.model]
    assert kto_trainer.hash_module is not real and "ref_logps" in trl.train_dataset.column_names


def test_lora_inputs_stay_16_bit_under_autocast_with_the_same_loss_and_gradients(tiny_model, starter_dataset, tmp_path):
    _, ours = build_trainers(tiny_model, starter_dataset, tmp_path, precompute=True, bf16=True)
    layers = [module for module in ours.model.modules() if hasattr(module, "cast_input_dtype_enabled")]
    assert layers and not any(layer.cast_input_dtype_enabled for layer in layers)
    batch = next(iter(ours.get_train_dataloader()))
    uncast_loss, uncast_grads = loss_and_grads(ours, batch)
    for layer in layers:
        layer.cast_input_dtype_enabled = True
    cast_loss, cast_grads = loss_and_grads(ours, batch)
    assert uncast_loss == pytest.approx(cast_loss, abs=1e-6)
    for name, grad in cast_grads.items():
        assert torch_equal(uncast_grads[name], grad), name

    _, fp32 = build_trainers(tiny_model, starter_dataset, tmp_path / "fp32", precompute=True)
    assert all(
        module.cast_input_dtype_enabled
        for module in fp32.model.modules()
        if hasattr(module, "cast_input_dtype_enabled")
    )


def torch_equal(first, second) -> bool:
    import torch

    return torch.allclose(first, second, rtol=1e-5, atol=1e-7)


def test_batches_collated_in_a_worker_process_give_the_same_reference_and_step(tiny_model, starter_dataset, tmp_path):
    """dataloader_num_workers holds for the fast reference pass as for the training loop (as in KTOTrainer's
    own pass): with the collator in a worker process, the reference column and the first step are those of
    collating in the trainer's own process."""
    _, inline = build_trainers(tiny_model, starter_dataset, tmp_path / "inline", precompute=True, packed=True)
    _, worker = build_trainers(
        tiny_model, starter_dataset, tmp_path / "worker", precompute=True, packed=True, dataloader_num_workers=1
    )
    assert worker.get_train_dataloader().base_dataloader.num_workers == 1
    assert worker.train_dataset["ref_logps"] == pytest.approx(inline.train_dataset["ref_logps"], abs=1e-6)
    assert worker.train_dataset["ref_KL_logps"] == pytest.approx(inline.train_dataset["ref_KL_logps"], abs=1e-6)
    losses = []
    for trainer in (inline, worker):
        trainer.args.max_steps, trainer.args.logging_steps = 1, 1
        losses.append(trainer.train().training_loss)
    assert losses[1] == pytest.approx(losses[0], abs=1e-6)


def test_data_parallel_processes_average_the_kl_estimate_as_trl_does(tiny_model, starter_dataset, tmp_path):
    """Two processes under torchrun (gloo, CPU), each on its own share of the batch: KTOTrainer's loss uses
    the KL estimate averaged over the processes, and the fast path's must equal it on each process."""
    import json
    from pathlib import Path

    from two_processes import torchrun_two

    tests = Path(__file__).parent
    worker = tests / "data_parallel_kto_worker.py"
    done = torchrun_two(str(worker), str(tiny_model), str(starter_dataset), str(tmp_path), cwd=tests.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads((tmp_path / f"result-{rank}.json").read_text()) for rank in (0, 1)]
    assert [result["rank"] for result in results] == [0, 1] and results[0]["processes"] == 2
    assert results[0]["first_row"] != results[1]["first_row"], "each process must train on its own rows"
    # Equal up to fp32 rounding (the two compute the KL pass's log-probs in different orders), where
    # each process keeping its own KL moves the loss by some 1e-3 (the last check: this one can fail).
    for result in results:
        assert result["same_rows"]
        assert result["our_loss"] == pytest.approx(result["trl_loss"], abs=5e-5)
    assert any(abs(result["local_kl_loss"] - result["trl_loss"]) > 1e-3 for result in results)


def test_packed_batches_train_data_parallel_with_averaged_gradients(tiny_model, starter_dataset, tmp_path):
    """Two processes under torchrun (gloo, CPU) train the packed path two steps through Trainer.train under
    DistributedDataParallel, each on its own rows, the KL rows reading the policy rows' prefix states after
    the policy's forward: both end with the same adapter, which has moved."""
    import json
    from pathlib import Path

    from two_processes import torchrun_two

    tests = Path(__file__).parent
    worker = tests / "data_parallel_kto_worker.py"
    done = torchrun_two(str(worker), str(tiny_model), str(starter_dataset), str(tmp_path), "train", cwd=tests.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads((tmp_path / f"result-{rank}.json").read_text()) for rank in (0, 1)]
    assert [result["rank"] for result in results] == [0, 1]
    assert all(result["wrapper"] == "DistributedDataParallel" and result["moved"] > 1e-6 for result in results)
    assert results[0]["checksum"] == results[1]["checksum"]
