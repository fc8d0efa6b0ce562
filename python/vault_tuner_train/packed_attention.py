"""Attention over a packed sequence (packing.py): each token sees the earlier tokens of its own row and of
the shared prefix the row belongs to, and nothing else.

The packed tokens are split into variable-length attention sequences: each row, and, when the rows share
a prefix, the prefix on its own. A row's keys are the prefix's keys followed by its own, gathered once
per layer (grouped-query attention keeps that copy small), and its queries line up with the end of its
keys, so that the row's first token sees the whole prefix and itself. On CUDA this is FlashAttention's
variable-length kernel (PyTorch's `_flash_attention_forward`, differentiable, with sliding windows), so
no token is padded and no mask is built. Elsewhere, and for fp32 inputs the kernel does not take, each
sequence goes through SDPA with the same rule written out as a mask: exact, fit for tests.

transformers calls the attention function its config names, with the layer's sliding window, and passes
on the model's keyword arguments: the layout travels as `packed_layout`, and the decoder gets a 4-D
attention_mask so that no model builds a mask of its own.

A pass without gradients can take the prefix's keys and values from an earlier pass of the same weights
(PrefixStates) instead of running the prefix again: the rows' tokens alone go through the model, and each
layer puts the kept keys and values before the rows' own. The KL rows of a micro-batch begin with the
policy rows' prefix, and every batch of the reference pass with the same one: in real data that prefix
(the system prompt and the tool schemas) is most of every row.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import torch

IMPLEMENTATION = "vault_tuner_packed"
FLASH_DTYPES = (torch.float16, torch.bfloat16)


class PrefixStates:
    """A shared prefix's keys and values at every attention layer (after the rotary embedding), as one pass
    computed them, for later passes of the same weights to read instead of running the prefix again. They
    serve any prefix that begins the kept one: a layer's states for its first n tokens are those of those n
    tokens alone, since attention is causal. Kept detached: a pass that reads them sends no gradient to
    the prefix, so only passes without gradients read them."""

    def __init__(self) -> None:
        self.tokens = b""  # the kept prefix's token ids (int64 bytes), set once every layer has its states
        self.keys: dict[int, torch.Tensor] = {}
        self.values: dict[int, torch.Tensor] = {}

    def covers(self, tokens: bytes) -> bool:
        return bool(tokens) and self.tokens.startswith(tokens)

    def clear(self) -> None:
        self.tokens = b""
        self.keys.clear()
        self.values.clear()


@dataclass
class PackedLayout:
    """One packed sequence's attention sequences (packing.py's tensors): query and key boundaries, the packed
    index of every key in key order, the longest query and key runs, and the shared prefix's length.
    `keep`: states for each layer to store its prefix keys and values in; `reuse`: states whose prefix keys
    and values stand in for a prefix that is not among the packed tokens (see `without_prefix_queries`)."""

    query_starts: torch.Tensor
    key_starts: torch.Tensor
    key_index: torch.Tensor
    longest_query: int
    longest_key: int
    shared: int
    keep: PrefixStates | None = None
    reuse: PrefixStates | None = None

    @classmethod
    def of(cls, batch: dict[str, Any], prefix: str = "") -> PackedLayout:
        return cls(*(batch[prefix + name] for name in LAYOUT_KEYS))

    def without_prefix_queries(self, longest_row_query: int, states: PrefixStates) -> PackedLayout:
        """This layout with the prefix's tokens taken out of the packed sequence: the prefix's own attention
        sequence goes, the rows' boundaries move back by its length, and the rows' keys are indexed as
        before, in the prefix's keys (from `states`) followed by the rows' own."""
        return PackedLayout(
            self.query_starts[1:] - self.shared,
            self.key_starts[1:] - self.shared,
            self.key_index[self.shared :],
            longest_row_query,
            self.longest_key,
            self.shared,
            reuse=states,
        )


LAYOUT_KEYS = ("query_starts", "key_starts", "key_index", "longest_query", "longest_key", "shared")


def _reference_attention(query, key, value, layout: PackedLayout, scaling, window):
    """Each attention sequence through SDPA with its mask written out: what the flash kernel computes."""
    outputs = []
    bounds = zip(layout.query_starts.tolist(), layout.key_starts.tolist(), strict=True)
    (query_start, key_start), *rest = bounds
    for query_end, key_end in rest:
        queries, keys = query_end - query_start, key_end - key_start
        # Queries line up with the last keys: query i sits at key position i + (keys - queries).
        at = torch.arange(queries, device=query.device)[:, None] + (keys - queries)
        seen = torch.arange(keys, device=query.device)[None, :] <= at
        if window is not None:
            seen &= at - torch.arange(keys, device=query.device)[None, :] < window
        part = torch.nn.functional.scaled_dot_product_attention(
            query[query_start:query_end].transpose(0, 1)[None],
            key[key_start:key_end].transpose(0, 1)[None],
            value[key_start:key_end].transpose(0, 1)[None],
            attn_mask=seen,
            scale=scaling,
            enable_gqa=True,
        )
        outputs.append(part[0].transpose(0, 1))
        query_start, key_start = query_end, key_end
    return torch.cat(outputs)


def _flash_attention(query, key, value, layout: PackedLayout, scaling, window):
    return torch.ops.aten._flash_attention_forward(
        query.contiguous(),
        key.contiguous(),
        value.contiguous(),
        layout.query_starts,
        layout.key_starts,
        layout.longest_query,
        layout.longest_key,
        0.0,
        True,  # causal, aligned to the end of each key sequence
        False,
        scale=scaling,
        # transformers' window w lets a query see the w - 1 keys before it; the kernel counts those.
        window_size_left=None if window is None else window - 1,
        window_size_right=None if window is None else 0,
    )[0]


def packed_attention_forward(
    module: torch.nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: Any,
    scaling: float | None = None,
    dropout: float = 0.0,
    sliding_window: int | None = None,
    softcap: float | None = None,
    packed_layout: PackedLayout | None = None,
    **kwargs: Any,
) -> tuple[torch.Tensor, None]:
    if packed_layout is None:
        raise RuntimeError("the packed attention was called without packed_layout")
    if dropout or softcap:
        raise RuntimeError("the packed attention has no attention dropout or soft-capping; this model asks for it")
    # (1, heads, tokens, dim) -> (tokens, heads, dim); keys in key order (the prefix again before each row)
    query, key, value = (states[0].transpose(0, 1) for states in (query, key, value))
    shared, reuse, keep = packed_layout.shared, packed_layout.reuse, packed_layout.keep
    if reuse is not None:
        key = torch.cat((reuse.keys[module.layer_idx][:shared], key))
        value = torch.cat((reuse.values[module.layer_idx][:shared], value))
    elif keep is not None:
        # Copies of the prefix alone: a view would hold the whole sequence's keys for as long as they are kept.
        keep.keys[module.layer_idx], keep.values[module.layer_idx] = (
            key[:shared].detach().clone(),
            value[:shared].detach().clone(),
        )
    if shared:
        key, value = key[packed_layout.key_index], value[packed_layout.key_index]
    flash = query.is_cuda and query.dtype in FLASH_DTYPES
    attend = _flash_attention if flash else _reference_attention
    return attend(query, key, value, packed_layout, scaling, sliding_window)[None], None


# A correct 16-bit kernel stays within a few units in the last place of a tensor's largest value (bf16 keeps
# 8 bits: 1/128 apart); a wrong mask, alignment or window is off by about the values themselves.
AGREEMENT = 0.02


def agrees(ours: torch.Tensor, expected: torch.Tensor) -> bool:
    """Whether `ours` is `expected` up to 16-bit rounding: the largest difference within AGREEMENT of
    `expected`'s largest magnitude. Element-wise tolerances fail a correct kernel where a key's gradient sums
    many queries' terms to about zero."""
    scale = expected.float().abs().max().clamp(min=1e-6)
    return bool((ours.float() - expected.float()).abs().max() <= AGREEMENT * scale)


def probe_layout(device: torch.device) -> PackedLayout:
    """A 5-token shared prefix and two rows of 3 and 4 tokens, as packing.py lays them out: 12 packed tokens."""
    return PackedLayout(
        torch.tensor([0, 5, 8, 12], dtype=torch.int32, device=device),
        torch.tensor([0, 5, 13, 22], dtype=torch.int32, device=device),
        torch.tensor([*range(5), *range(5), 5, 6, 7, *range(5), 8, 9, 10, 11], device=device),
        5,
        9,
        5,
    )


def attention_and_grads(attend, inputs: list[torch.Tensor], layout: PackedLayout, dtype: torch.dtype, window):
    """`attend`'s output over packed (query, key, value) `inputs` taken in `dtype`, and the gradients of its
    sum of squares with respect to them."""
    query, key, value = (values.detach().to(dtype).requires_grad_() for values in inputs)
    output = attend(query, key[layout.key_index], value[layout.key_index], layout, None, window)
    return [output, *torch.autograd.grad(output.float().square().sum(), (query, key, value))]


@cache
def flash_unavailable_reason(heads: int, kv_heads: int, head_dim: int, dtype: torch.dtype) -> str | None:
    """None when FlashAttention's variable-length kernel runs here for these shapes and gives, forward and
    backward, what the written-out rule gives in fp32; otherwise why not (no CUDA, a GPU older than the
    kernel supports, a PyTorch build without it or with another signature). The trainer asks once per run and
    trains on padded batches when the answer is a reason."""
    if not torch.cuda.is_available():
        return "no CUDA device"
    if dtype not in FLASH_DTYPES:
        return f"the kernel takes 16-bit inputs, not {dtype}"
    # This process's GPU: under torchrun each process has its own, before accelerate has selected it.
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    generator = torch.Generator(device=device).manual_seed(0)
    layout = probe_layout(device)
    # 16-bit values, so that the fp32 rule below sees exactly what the kernel sees.
    inputs = [
        torch.randn(12, count, head_dim, generator=generator, device=device, dtype=dtype)
        for count in (heads, kv_heads, kv_heads)
    ]
    try:
        for window in (None, 4):
            flash = attention_and_grads(_flash_attention, inputs, layout, dtype, window)
            rule = attention_and_grads(_reference_attention, inputs, layout, torch.float32, window)
            if not all(agrees(ours, expected) for ours, expected in zip(flash, rule, strict=True)):
                return "the kernel's output differs from the written-out rule"
    except (RuntimeError, AttributeError, TypeError) as error:  # unsupported GPU, missing op, other signature
        return f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"
    return None


@cache
def _register() -> None:
    from transformers import AttentionInterface

    AttentionInterface.register(IMPLEMENTATION, packed_attention_forward)


@contextmanager
def packed_attention(causal_lm: Any):
    """Routes the model's attention through packed_attention_forward for the duration, then restores it."""
    _register()
    config = causal_lm.config
    before = config._attn_implementation
    config._attn_implementation = IMPLEMENTATION
    try:
        yield
    finally:
        config._attn_implementation = before


def packed_inputs(batch: dict[str, Any], prefix: str = "", states: PrefixStates | None = None) -> dict[str, Any]:
    """The model's forward arguments for one packed sequence (run them under packed_attention). With
    `states`, a pass without gradients whose shared prefix they cover leaves the prefix's tokens out and
    reads its keys and values from them (the layout's `reuse`); any other pass keeps its prefix's in them
    (the layout's `keep`: they are emptied first, and the caller names the prefix once the pass is done)."""
    ids, positions = batch[prefix + "packed_ids"], batch[prefix + "positions"]
    layout = PackedLayout.of(batch, prefix)
    if states is not None and layout.shared:
        if not torch.is_grad_enabled() and states.covers(batch[prefix + "shared_ids"]):
            layout = layout.without_prefix_queries(batch[prefix + "longest_row_query"], states)
            ids, positions = ids[layout.shared :], positions[layout.shared :]
        else:
            states.clear()
            layout.keep = states
    return {
        "input_ids": ids[None],
        "position_ids": positions[None],
        # Any 4-D tensor makes the decoder skip building a mask; the attention above reads the layout.
        "attention_mask": torch.ones(1, 1, 1, 1, dtype=torch.bool, device=ids.device),
        "packed_layout": layout,
        "use_cache": False,
    }
