from __future__ import annotations


def test_the_mlx_kto_loss_equals_trls_on_the_same_batch(tiny_model, starter_dataset, tmp_path):
    """Same weights, same four rows, same reference: our MLX loss and TRL's KTOTrainer agree."""
    import torch
    from datasets import Dataset as HfDataset
    from mlx_lm import load
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import KTOConfig, KTOTrainer

    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.mlx_train import encode, kto_loss, prepare_batch, sequence_logps

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    rows = render(load_dataset(starter_dataset, "kto"), tokenizer, "kto")[:4]
    assert [row["label"] for row in rows] == [True, False, True, False]
    # A policy that differs from the reference and prefers the tokens these completions are made of, so
    # that mismatched pairs score higher too: the KL term is positive and counts, and the pairing of
    # prompts with completions must be TRL's for the losses to agree.
    policy = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    with torch.no_grad():
        texts = [row["prompt"] + row["completion"] for row in rows]
        hidden = torch.cat(
            [policy.model(**tokenizer(text, return_tensors="pt")).last_hidden_state[0] for text in texts]
        )
        direction = hidden.mean(dim=0)
        completion_tokens = sorted({token for row in rows for token in tokenizer(row["completion"]).input_ids})
        policy.lm_head.weight[completion_tokens] += 3.0 * direction / direction.norm() ** 2
    policy_dir = tmp_path / "policy"
    policy.save_pretrained(policy_dir)
    tokenizer.save_pretrained(policy_dir)
    reference = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    config = KTOConfig(
        output_dir=str(tmp_path / "trl"),
        per_device_train_batch_size=4,
        report_to=[],
        use_cpu=True,
        max_length=512,
        beta=0.3,
        desirable_weight=1.3,
        undesirable_weight=0.8,
    )
    trainer = KTOTrainer(
        model=policy,
        ref_model=reference,
        args=config,
        train_dataset=HfDataset.from_list(rows),
        processing_class=tokenizer,
    )
    batch = next(iter(trainer.get_train_dataloader()))
    with torch.no_grad():
        trl_loss = trainer._compute_loss(trainer.model, batch, False)
    trl_loss = float(trl_loss[0] if isinstance(trl_loss, tuple) else trl_loss)

    mlx_policy, _ = load(str(policy_dir))
    mlx_reference, _ = load(str(tiny_model))
    encoded = [encode(tokenizer, row["prompt"], row["completion"], 512) for row in rows]
    ids, mask, kl_ids, kl_mask, desirable = prepare_batch(
        encoded, [row["label"] for row in rows], [0, 1, 2, 3], tokenizer.pad_token_id, 512
    )
    ours, (kl, _, _) = kto_loss(
        mlx_policy,
        ids,
        mask,
        kl_ids,
        kl_mask,
        desirable,
        sequence_logps(mlx_reference, ids, mask),
        sequence_logps(mlx_reference, kl_ids, kl_mask),
        beta=0.3,
        desirable_weight=1.3,
        undesirable_weight=0.8,
    )
    assert abs(trl_loss - 0.5) > 1e-3, "the batch must exercise the loss, not sit at sigmoid(0)"
    assert kl.item() > 0.01, "the KL term must be in play"
    assert abs(ours.item() - trl_loss) < 1e-4
