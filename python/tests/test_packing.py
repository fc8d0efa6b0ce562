"""Packed batches (packing.py, packed_attention.py) give each row exactly what the row computed whole gives."""

from __future__ import annotations

import pytest


def test_pack_rows_lays_rows_end_to_end_with_their_shared_prefix_once():
    from vault_tuner_train.packing import pack_rows

    # Two rows that start with the same three tokens; prompts of 4 and 5 tokens.
    packed = pack_rows([([7, 8, 9, 1, 2, 3], 4), ([7, 8, 9, 4, 5, 6, 7], 5)])
    assert packed["packed_ids"].tolist() == [7, 8, 9, 1, 2, 3, 4, 5, 6, 7]
    assert packed["positions"].tolist() == [0, 1, 2, 3, 4, 5, 3, 4, 5, 6]
    # Row 1's completion (tokens 4 and 5 of the row: 2, 3) is predicted at packed 3 and 4; row 2's (6, 7) at 7, 8.
    assert packed["targets"].tolist() == [2, 3, 6, 7]
    assert packed["predict_at"].tolist() == [3, 4, 7, 8]
    assert packed["target_rows"].tolist() == [0, 0, 1, 1]
    # Attention sequences: the prefix alone, then each row seeing the prefix's keys before its own.
    assert packed["shared"] == 3
    assert packed["query_starts"].tolist() == [0, 3, 6, 10]
    assert packed["key_starts"].tolist() == [0, 3, 9, 16]
    assert packed["key_index"].tolist() == [0, 1, 2, 0, 1, 2, 3, 4, 5, 0, 1, 2, 6, 7, 8, 9]
    assert (packed["longest_query"], packed["longest_key"]) == (4, 7)


def test_the_shared_prefix_stops_before_the_shortest_prompt_ends():
    from vault_tuner_train.packing import pack_rows, shared_prefix_length

    # Identical rows: all but the last prompt token is shared, so each row predicts its completion itself.
    assert shared_prefix_length([([1, 2, 3, 4], 3), ([1, 2, 3, 4], 3)]) == 2
    assert shared_prefix_length([([1, 2, 3], 2)]) == 0
    unshared = pack_rows([([1, 2, 3], 2), ([5, 2, 3], 2)])
    assert unshared["shared"] == 0
    assert unshared["positions"].tolist() == [0, 1, 2, 0, 1, 2]
    assert unshared["query_starts"].tolist() == unshared["key_starts"].tolist() == [0, 3, 6]


def test_the_collator_truncates_rows_as_trls_does_and_counts_their_tokens_whole():
    from vault_tuner_train.packing import PackingCollator

    examples = [
        {"prompt_ids": [1, 2, 3], "completion_ids": [4, 5, 6], "KL_completion_ids": [9], "label": True},
        {"prompt_ids": [1, 2, 8], "completion_ids": [4], "KL_completion_ids": [4, 5, 6], "label": False},
    ]
    batch = PackingCollator(max_length=5)(examples)
    assert batch["packed_ids"].tolist() == [1, 2, 3, 4, 5, 8, 4]
    assert batch["targets"].tolist() == [4, 5, 4]
    assert batch["KL_targets"].tolist() == [9, 4, 5]
    assert int(batch["row_tokens"]) == 5 + 4
    assert batch["label"].tolist() == [True, False]


def _rows(tiny_model, starter_dataset, count: int, distinct_starts: bool):
    """Tokenized (ids, prompt length) rows of the starter; with distinct_starts, each row gets its own first
    token so that no prefix is shared."""
    from transformers import AutoTokenizer

    from vault_tuner_train.data import load_dataset, render

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    rows = []
    for index, row in enumerate(render(load_dataset(starter_dataset, "kto"), tokenizer, "kto")[:count]):
        prompt = tokenizer(row["prompt"], add_special_tokens=False).input_ids
        full = tokenizer(row["prompt"] + row["completion"], add_special_tokens=False).input_ids
        if distinct_starts:
            prompt, full = [10 + index, *prompt], [10 + index, *full]
        rows.append((full, len(prompt)))
    return rows


def _padded(rows):
    import torch

    width = max(len(ids) for ids, _ in rows)
    input_ids = torch.zeros(len(rows), width, dtype=torch.int64)
    attention = torch.zeros_like(input_ids)
    completion = torch.zeros_like(input_ids)
    for index, (ids, prompt) in enumerate(rows):
        input_ids[index, : len(ids)] = torch.tensor(ids)
        attention[index, : len(ids)] = 1
        completion[index, prompt : len(ids)] = 1
    return input_ids, attention, completion


def _lora_model(tiny_model):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = get_peft_model(
        AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32),
        LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"),
    )
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, parameter in sorted(model.named_parameters()):
            if "lora_B" in name:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5)
    return model


def _cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


NEEDS_CUDA = pytest.mark.skipif(not _cuda_available(), reason="needs a CUDA GPU")
# CUDA runs FlashAttention's variable-length kernel, forward and backward (the GPU machine runs these tests),
# a shared prefix one of two ways by its length (packed_attention.CASCADE_FROM): each test takes both.
WAYS = [
    pytest.param("cpu", None, id="cpu"),
    pytest.param("cuda", False, id="cuda-gathered", marks=NEEDS_CUDA),
    pytest.param("cuda", True, id="cuda-cascade", marks=NEEDS_CUDA),
]


def _kernel_way(monkeypatch, cascade: bool | None) -> None:
    from vault_tuner_train import packed_attention

    if cascade is not None:
        monkeypatch.setattr(packed_attention, "CASCADE_FROM", 0 if cascade else 1 << 40)


@pytest.mark.parametrize(("device", "cascade"), WAYS)
@pytest.mark.parametrize("distinct_starts", [False, True], ids=["shared-prefix", "no-shared-prefix"])
def test_packed_log_probs_and_gradients_equal_the_padded_rows_computed_whole(
    tiny_model, starter_dataset, distinct_starts, device, cascade, monkeypatch
):
    import torch

    from vault_tuner_train.fast_kto import completion_logps, packed_completion_logps
    from vault_tuner_train.packing import pack_rows

    _kernel_way(monkeypatch, cascade)

    rows = _rows(tiny_model, starter_dataset, 5, distinct_starts)
    packed = {**pack_rows(rows), "label": torch.ones(len(rows), dtype=torch.bool)}
    packed = {key: value.to(device) if isinstance(value, torch.Tensor) else value for key, value in packed.items()}
    assert (packed["shared"] > 20) != distinct_starts
    # On CUDA the flash kernel takes 16-bit inputs only: the model runs in bf16 there, against the padded
    # rows in bf16 through SDPA, so the comparison allows bf16's rounding.
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    model = _lora_model(tiny_model).to(device, dtype)
    # Unequal weights per row, so that a gradient sent to the wrong row would show.
    weights = torch.arange(1.0, len(rows) + 1, device=device)

    def logps_and_grads(compute):
        model.zero_grad()
        logps = compute()
        (logps * weights).sum().backward()
        return logps.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}

    padded = [tensor.to(device) for tensor in _padded(rows)]
    whole, whole_grads = logps_and_grads(lambda: completion_logps(model, *padded))
    ours, our_grads = logps_and_grads(lambda: packed_completion_logps(model, packed))
    if device == "cpu":
        assert torch.allclose(ours, whole, rtol=1e-5, atol=1e-4)
        for name, grad in whole_grads.items():
            assert torch.allclose(our_grads[name], grad, rtol=1e-3, atol=1e-6), name
    else:
        assert torch.allclose(ours.float(), whole.float(), rtol=2e-2, atol=0.5), (ours, whole)
        for name, grad in whole_grads.items():
            similarity = torch.nn.functional.cosine_similarity(
                our_grads[name].flatten().float(), grad.flatten().float(), 0
            )
            assert similarity > 0.99, (name, float(similarity))


@pytest.mark.parametrize(("device", "cascade"), WAYS)
def test_passes_without_gradients_read_a_kept_prefix_instead_of_running_it_again(
    tiny_model, starter_dataset, device, cascade, monkeypatch
):
    """A pass keeps its shared prefix's keys and values (PrefixStates); a later pass without gradients over
    rows whose prefix begins the kept one runs the rows' own tokens only and gives the rows' log-probs
    computed whole. A pass with gradients, or over another prefix, runs its prefix and keeps that instead."""
    import torch

    from vault_tuner_train.fast_kto import completion_logps, packed_completion_logps
    from vault_tuner_train.packed_attention import PrefixStates
    from vault_tuner_train.packing import pack_rows

    _kernel_way(monkeypatch, cascade)

    # On CUDA, the flash kernel in bf16 against the padded rows through SDPA, as in the test above.
    model = _lora_model(tiny_model).to(device, torch.bfloat16 if device == "cuda" else torch.float32)
    embedded: list[int] = []
    model.get_input_embeddings().register_forward_hook(lambda module, args, out: embedded.append(args[0].numel()))

    def batch_of(rows):
        batch = {**pack_rows(rows), "label": torch.ones(len(rows), dtype=torch.bool)}
        return {key: value.to(device) if isinstance(value, torch.Tensor) else value for key, value in batch.items()}

    def equals_whole(logps, rows):
        with torch.no_grad():
            whole = completion_logps(model, *(tensor.to(device) for tensor in _padded(rows)))
        if device == "cpu":
            return torch.allclose(logps, whole, rtol=1e-5, atol=1e-4)
        return torch.allclose(logps.float(), whole.float(), rtol=2e-2, atol=0.5)

    rows = _rows(tiny_model, starter_dataset, 5, distinct_starts=False)
    first = batch_of(rows[:3])
    states = PrefixStates()
    kept = packed_completion_logps(model, first, states=states)
    assert states.tokens == first["shared_ids"] and first["shared"] > 20
    assert len(states.keys) == len(states.values) == model.config.num_hidden_layers
    assert equals_whole(kept.detach(), rows[:3])

    # Other rows with the same prefix, and rows whose common start ends earlier inside it: neither runs it.
    cut = first["shared"] // 2
    earlier = [rows[3], ([*rows[4][0][:cut], 1, *rows[4][0][cut + 1 :]], rows[4][1])]
    for later in (rows[3:], earlier):
        batch = batch_of(later)
        assert states.covers(batch["shared_ids"]) and 0 < batch["shared"] <= first["shared"]
        embedded.clear()
        with torch.no_grad():
            read = packed_completion_logps(model, batch, states=states)
        assert embedded == [len(batch["packed_ids"]) - batch["shared"]]
        assert equals_whole(read, later)
    assert states.tokens == first["shared_ids"]

    # With gradients the prefix must run (it takes its share of them); another prefix replaces the kept one.
    embedded.clear()
    packed_completion_logps(model, batch_of(rows[3:]), states=states)
    assert embedded == [len(batch_of(rows[3:])["packed_ids"])]
    other = [([7, *ids[1:]], prompt) for ids, prompt in rows[:2]]
    embedded.clear()
    with torch.no_grad():
        replaced = packed_completion_logps(model, batch_of(other), states=states)
    assert embedded == [len(batch_of(other)["packed_ids"])] and states.tokens == batch_of(other)["shared_ids"]
    assert equals_whole(replaced, other)


def _tiny_sliding_window_model(family: str):
    """A random model whose layers alternate full and sliding-window (8 tokens) attention."""
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig, Qwen2Config, Qwen2ForCausalLM

    shape = {"vocab_size": 100, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2}
    shape |= {"num_attention_heads": 4, "num_key_value_heads": 2, "sliding_window": 8}
    torch.manual_seed(0)
    if family == "qwen2":
        config = Qwen2Config(**shape, use_sliding_window=True, max_window_layers=1)
        return Qwen2ForCausalLM(config).float().eval()
    config = Gemma3TextConfig(**shape, head_dim=8, layer_types=["sliding_attention", "full_attention"])
    return Gemma3ForCausalLM(config).float().eval()


@pytest.mark.parametrize("shared", [True, False], ids=["shared-prefix", "rows-only"])
@pytest.mark.parametrize("family", ["qwen2", "gemma3"])
def test_packing_keeps_each_rows_sliding_window_at_its_own_positions(family, shared):
    """The windows count positions: a row's window reaches back into the shared prefix it sits after."""
    import random

    import torch

    from vault_tuner_train.fast_kto import completion_logps, packed_completion_logps
    from vault_tuner_train.packing import pack_rows

    model = _tiny_sliding_window_model(family)
    assert len(set(model.config.layer_types)) == 2
    generator = random.Random(0)
    prefix = [generator.randrange(3, 100) for _ in range(20)]
    rows = []
    for index in range(3):
        start = prefix if shared else [3 + index, *prefix[1:]]
        prompt = start + [generator.randrange(3, 100) for _ in range(generator.randint(5, 15))]
        rows.append((prompt + [generator.randrange(3, 100) for _ in range(generator.randint(3, 12))], len(prompt)))
    packed = {**pack_rows(rows), "label": torch.ones(len(rows), dtype=torch.bool)}
    assert packed["shared"] == (20 if shared else 0)
    with torch.no_grad():
        whole = completion_logps(model, *_padded(rows))
        ours = packed_completion_logps(model, packed)
    assert torch.allclose(ours, whole, rtol=1e-5, atol=1e-4)


def test_the_flash_kernel_probe_says_why_not_where_it_cannot_run():
    import torch

    from vault_tuner_train.packed_attention import flash_unavailable_reason

    if not torch.cuda.is_available():
        assert flash_unavailable_reason(14, 2, 64, torch.bfloat16) == "no CUDA device"
    else:
        assert "16-bit" in flash_unavailable_reason(14, 2, 64, torch.float32)
        # The bench's 0.5B and 3B shapes, and Gemma 3 270M's (4 heads, 1 key-value head, 256 wide).
        for shape in ((14, 2, 64), (16, 2, 128), (4, 1, 256)):
            assert flash_unavailable_reason(*shape, torch.bfloat16) is None, shape


def test_the_probe_tells_16_bit_rounding_from_a_wrong_mask():
    """The probe's bar: the rule computed in bf16 passes against itself in fp32 (3B's head shape: 8 query
    heads to a key head, 128 wide), while a dropped window or keys from the wrong row fail it."""
    import torch

    from vault_tuner_train.packed_attention import agrees, attention_and_grads, probe_layout

    layout = probe_layout(torch.device("cpu"))
    generator = torch.Generator().manual_seed(0)
    inputs = [torch.randn(12, count, 128, generator=generator).bfloat16() for count in (16, 2, 2)]

    def attention(dtype, window, key_layout=layout):
        return attention_and_grads(inputs, key_layout, dtype, window)

    exact = attention(torch.float32, 4)
    assert all(agrees(ours, expected) for ours, expected in zip(attention(torch.bfloat16, 4), exact, strict=True))
    assert not agrees(attention(torch.float32, None)[0], exact[0])
    # The second row reading the first row's keys where its own should be.
    wrong_keys = layout.key_index.clone()
    wrong_keys[-4:-1] = wrong_keys[10:13]
    crossed = type(layout)(**{**vars(layout), "key_index": wrong_keys})
    assert not agrees(attention(torch.float32, 4, crossed)[0], exact[0])


def _written_out_flash_forward(
    query, key, value, starts_q, starts_k, longest_q, longest_k, dropout, causal, debug, *, scale=None
):
    """FlashAttention's variable-length forward as its documentation states it, in plain PyTorch: each
    sequence's softmax attention (causal: queries aligned to the end of the keys), with each query's
    log-sum-exp per head (heads x tokens)."""
    import torch

    outputs, sums = [], []
    bounds = list(zip(starts_q.tolist(), starts_k.tolist(), strict=True))
    for (q0, k0), (q1, k1) in zip(bounds, bounds[1:], strict=False):
        scores = _scores(query[q0:q1], key[k0:k1], scale, causal)
        sums.append(torch.logsumexp(scores, -1))
        outputs.append(torch.einsum("hqk,khd->qhd", scores.softmax(-1), _per_head(value[k0:k1], query.shape[1])))
    empty = torch.empty(0)
    return torch.cat(outputs).to(query.dtype), torch.cat(sums, 1), empty, empty, empty


def _written_out_flash_backward(
    grad,
    query,
    key,
    value,
    out,
    lse,
    starts_q,
    starts_k,
    longest_q,
    longest_k,
    dropout,
    causal,
    rng,
    unused,
    *,
    scale=None,
):
    """FlashAttention's backward from the output and log-sum-exp it is given (not recomputed): the
    probabilities exp(scores - lse), D = rowsum(grad * out), dS = P * (grad V^T - D)."""
    import torch

    grads = ([], [], [])
    bounds = list(zip(starts_q.tolist(), starts_k.tolist(), strict=True))
    heads, group = query.shape[1], query.shape[1] // key.shape[1]
    for (q0, k0), (q1, k1) in zip(bounds, bounds[1:], strict=False):
        scores = _scores(query[q0:q1], key[k0:k1], scale, causal)
        probs = torch.exp(scores - lse[:, q0:q1, None])
        delta = (grad[q0:q1].float() * out[q0:q1].float()).sum(-1).T[..., None]
        d_scores = probs * (torch.einsum("qhd,khd->hqk", grad[q0:q1].float(), _per_head(value[k0:k1], heads)) - delta)
        d_scores = d_scores * (scale or query.shape[-1] ** -0.5)
        grads[0].append(torch.einsum("hqk,khd->qhd", d_scores, _per_head(key[k0:k1], heads)))
        for into, per_key in (
            (grads[1], torch.einsum("hqk,qhd->khd", d_scores, query[q0:q1].float())),
            (grads[2], torch.einsum("hqk,qhd->khd", probs, grad[q0:q1].float())),
        ):
            into.append(per_key.unflatten(1, (key.shape[1], group)).sum(2))
    return tuple(torch.cat(parts).to(query.dtype) for parts in grads)


def _per_head(states, heads):
    return states.float().repeat_interleave(heads // states.shape[1], dim=1)


def _scores(query, key, scale, causal):
    import torch

    scores = torch.einsum("qhd,khd->hqk", query.float(), _per_head(key, query.shape[1])) * (
        scale or query.shape[-1] ** -0.5
    )
    if causal:
        at = torch.arange(len(query))[:, None] + (len(key) - len(query))
        scores = scores.masked_fill(torch.arange(len(key))[None, :] > at, float("-inf"))
    return scores


def test_the_prefix_cascade_merges_its_two_parts_into_the_gathered_rule(monkeypatch):
    """The cascade (the rows' attention to the one prefix, and each sequence's to its own tokens, merged by
    log-sum-exp; each part's backward from the merged output) against the rule on gathered keys, forward
    and backward, with the kernel written out: the GPU runs the kernel itself (the probe and the CUDA
    tests above). Also with the prefix's keys read from kept states and its tokens not packed."""
    import torch

    from vault_tuner_train import packed_attention
    from vault_tuner_train.packed_attention import PrefixStates, _PrefixCascade, attention_and_grads, probe_layout

    monkeypatch.setattr(torch.ops.aten, "_flash_attention_forward", _written_out_flash_forward)
    monkeypatch.setattr(torch.ops.aten, "_flash_attention_backward", _written_out_flash_backward)
    layout = probe_layout(torch.device("cpu"))
    generator = torch.Generator().manual_seed(0)
    inputs = [torch.randn(12, count, 16, generator=generator) for count in (4, 2, 2)]
    rule = attention_and_grads(inputs, layout, torch.float32, None)
    query, key, value = (values.clone().requires_grad_() for values in inputs)
    cascade = _PrefixCascade.apply(query, key, value, key[:5], value[:5], layout, None)
    grads = torch.autograd.grad(cascade.float().square().sum(), (query, key, value))
    for ours, expected in zip((cascade, *grads), rule, strict=True):
        assert torch.allclose(ours, expected, atol=1e-5), (ours - expected).abs().max()
    assert grads[1][:5].abs().min() > 0, "every key of the prefix takes gradients"

    states = PrefixStates()
    states.keys[0], states.values[0] = inputs[1][:5], inputs[2][:5]
    rows_only = layout.without_prefix_queries(4, states)
    read = _PrefixCascade.apply(
        inputs[0][5:], inputs[1][5:], inputs[2][5:], inputs[1][:5], inputs[2][:5], rows_only, None
    )
    assert torch.allclose(read, rule[0][5:], atol=1e-5)
    assert packed_attention.FLASH_DTYPES, "the cascade serves the kernel's 16-bit types on CUDA"


def test_packing_is_refused_for_a_model_whose_attention_it_cannot_route(monkeypatch):
    """A model whose attention skips transformers' interface would let packed rows see each other."""
    import torch

    from vault_tuner_train.fast_kto import packing_available

    model = _tiny_sliding_window_model("qwen2")
    reason = packing_available(model, torch.bfloat16)
    assert reason is None or "CUDA" in reason  # routed: only the kernel can say no
    monkeypatch.setattr(type(model), "_supports_attention_backend", False)
    assert "attention interface" in packing_available(model, torch.bfloat16)
