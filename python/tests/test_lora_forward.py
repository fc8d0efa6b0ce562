"""The fused LoRA forward (lora_forward.py) against PEFT's own, on the tiny model."""

from __future__ import annotations

import pytest


def peft_model(tiny_model, dropout: float):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    # init_lora_weights=False: B starts random, so the update and A's gradient are not zero.
    config = LoraConfig(
        r=8,
        lora_alpha=16,
        lora_dropout=dropout,
        target_modules=["q_proj", "v_proj", "up_proj", "down_proj"],
        init_lora_weights=False,
        task_type="CAUSAL_LM",
    )
    return get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32), config)


def logits_and_grads(model, ids, seed: int = 1):
    import torch

    model.train()
    model.zero_grad()
    torch.manual_seed(seed)  # the same dropout masks for both forwards: both draw them in the same order
    logits = model(input_ids=ids).logits
    logits.float().square().mean().backward()
    grads = {name: p.grad.clone() for name, p in model.named_parameters() if p.requires_grad}
    return logits.detach(), grads


@pytest.mark.parametrize("dropout", [0.0, 0.1])
def test_fused_lora_forward_gives_peft_outputs_and_gradients(tiny_model, dropout):
    import torch

    from vault_tuner_train.lora_forward import fuse_lora_updates

    peft = peft_model(tiny_model, dropout)
    fused = peft_model(tiny_model, dropout)
    layers = sum(1 for name, _ in fused.named_modules() if name.endswith(("q_proj", "v_proj", "up_proj", "down_proj")))
    assert fuse_lora_updates(fused) == layers > 0
    assert fuse_lora_updates(fused) == 0, "a second call must not wrap the forward again"
    ids = torch.randint(0, fused.config.vocab_size, (2, 24))
    want_logits, want_grads = logits_and_grads(peft, ids)
    got_logits, got_grads = logits_and_grads(fused, ids)
    assert torch.allclose(got_logits, want_logits, rtol=1e-5, atol=1e-5)
    assert want_grads.keys() == got_grads.keys()
    for name, grad in want_grads.items():
        assert grad.abs().sum() > 0, name
        assert torch.allclose(got_grads[name], grad, rtol=1e-4, atol=1e-6), name

    # Under bf16 autocast (how CUDA runs train) the two round differently, by bf16's precision at most.
    with torch.autocast("cpu", dtype=torch.bfloat16):
        want_bf16, _ = logits_and_grads(peft, ids)
        got_bf16, _ = logits_and_grads(fused, ids)
    assert (got_bf16.float() - want_bf16.float()).abs().max() <= 0.05 * want_bf16.float().abs().max()


def test_fused_lora_forward_leaves_the_switched_off_adapter_and_other_layers_to_peft(tiny_model):
    import torch

    from vault_tuner_train.lora_forward import fuse_lora_updates

    model = peft_model(tiny_model, 0.0)
    fuse_lora_updates(model)
    ids = torch.randint(0, model.config.vocab_size, (1, 16))
    model.eval()
    with torch.no_grad(), model.disable_adapter():
        switched_off = model(input_ids=ids).logits
    with torch.no_grad():
        adapted = model(input_ids=ids).logits
    plain = peft_model(tiny_model, 0.0)
    plain.eval()
    with torch.no_grad(), plain.disable_adapter():
        want = plain(input_ids=ids).logits
    assert torch.allclose(switched_off, want, atol=1e-6)
    assert not torch.allclose(adapted, switched_off, atol=1e-3), "the adapter must change the output"


def test_a_copied_model_falls_back_to_peft_on_its_own_layers(tiny_model):
    import copy

    import torch

    from vault_tuner_train.lora_forward import fuse_lora_updates

    model = peft_model(tiny_model, 0.0)
    fuse_lora_updates(model)
    copied = copy.deepcopy(model)
    ids = torch.randint(0, model.config.vocab_size, (1, 16))
    model.eval()
    copied.eval()
    with torch.no_grad():
        with model.disable_adapter():
            base = model(input_ids=ids).logits
        # The copy's adapter switched off, the original's on: the copy must answer as the base does.
        with copied.disable_adapter():
            assert torch.allclose(copied(input_ids=ids).logits, base, atol=1e-6)
        assert not torch.allclose(model(input_ids=ids).logits, base, atol=1e-3)
