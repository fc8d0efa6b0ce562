"""Attention over a packed sequence (packing.py): each token sees the earlier tokens of its own row and of
the shared prefix the row belongs to, and nothing else.

The packed tokens are split into variable-length attention sequences: each row, and, when the rows share
a prefix, the prefix on its own. A row's keys are the prefix's keys followed by its own, and its queries
line up with the end of its keys, so that the row's first token sees the whole prefix and itself. On CUDA
this is FlashAttention's variable-length kernel (PyTorch's `_flash_attention_forward`), so no token is
padded and no mask is built, in one of two ways:
- for a long prefix without a sliding window, in two parts merged by their log-sum-exps (_PrefixCascade):
  every row token's attention to the one copy of the prefix, and each sequence's causal attention to its
  own tokens. No row gets a copy of the prefix's keys, in the forward or the backward;
- otherwise (a short prefix, or a window, which the first part cannot apply), the prefix's keys gathered
  again before each row's own, once per layer, through the kernel's differentiable op.
Elsewhere, and for fp32 inputs the kernel does not take, each sequence goes through SDPA with the gathered
keys and the rule written out as a mask: exact, fit for tests.

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
    # [0, row tokens] and [0, shared]: the row tokens as one sequence of queries to the prefix's keys.
    row_span: torch.Tensor
    prefix_span: torch.Tensor
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
            self.row_span,
            self.prefix_span,
            reuse=states,
        )


LAYOUT_KEYS = (
    "query_starts",
    "key_starts",
    "key_index",
    "longest_query",
    "longest_key",
    "shared",
    "row_span",
    "prefix_span",
)


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


def _flash_parts(query, key, value, starts_q, starts_k, longest_q, longest_k, causal, scaling):
    """FlashAttention's variable-length forward, not differentiable: the output, each query's log-sum-exp per
    head (heads x tokens, fp32) and the kernel's random state, which its backward takes back."""
    out, lse, rng, unused, _ = torch.ops.aten._flash_attention_forward(
        query, key, value, starts_q, starts_k, longest_q, longest_k, 0.0, causal, False, scale=scaling
    )
    if lse.shape != (query.shape[1], query.shape[0]):
        raise RuntimeError(f"the kernel's log-sum-exp is {tuple(lse.shape)}, not heads x tokens")
    return out, lse, rng, unused


class _PrefixCascade(torch.autograd.Function):
    """Attention for rows that share a prefix without a copy of its keys per row. The rows' tokens attend
    to the prefix as one non-causal sequence of queries against the prefix's one set of keys; every
    sequence (the prefix, when its tokens are packed, and each row) attends causally to its own tokens;
    a row token's two results are merged by their log-sum-exps, as FlashAttention merges the blocks of one
    softmax. Each part's backward kernel, given the merged output and log-sum-exp, gives that part's exact
    share of the gradients: its keys' and values' whole, and a share of the queries' to be summed.

    `prefix_key` and `prefix_value` are the prefix's (a view of `key`'s first tokens, or kept states when
    the prefix's tokens are not packed: layout.reuse)."""

    @staticmethod
    def forward(ctx, query, key, value, prefix_key, prefix_value, layout: PackedLayout, scaling):
        query, key, value, prefix_key, prefix_value = (
            tensor.contiguous() for tensor in (query, key, value, prefix_key, prefix_value)
        )
        first_row = 0 if layout.reuse is not None else layout.shared  # the queries before it are the prefix's
        own = _PrefixCascade.own(layout)
        to_prefix = _PrefixCascade.to_prefix(layout, query, first_row)
        own_out, own_lse, own_rng, own_unused = _flash_parts(query, key, value, *own, True, scaling)
        prefix_out, prefix_lse, prefix_rng, prefix_unused = _flash_parts(
            query[first_row:], prefix_key, prefix_value, *to_prefix, False, scaling
        )
        row_lse = torch.logaddexp(own_lse[:, first_row:], prefix_lse)
        # Each part's share of a row token's softmax, per head: (heads, tokens) -> (tokens, heads, 1).
        own_share = torch.exp(own_lse[:, first_row:] - row_lse).T[..., None]
        prefix_share = torch.exp(prefix_lse - row_lse).T[..., None]
        rows = (own_out[first_row:].float() * own_share + prefix_out.float() * prefix_share).to(query.dtype)
        out = torch.cat((own_out[:first_row], rows))
        lse = torch.cat((own_lse[:, :first_row], row_lse), dim=1)
        ctx.save_for_backward(query, key, value, prefix_key, prefix_value, out, lse)
        ctx.states = (own_rng, own_unused, prefix_rng, prefix_unused)
        ctx.layout, ctx.scaling, ctx.first_row = layout, scaling, first_row
        return out

    @staticmethod
    def backward(ctx, grad):
        query, key, value, prefix_key, prefix_value, out, lse = ctx.saved_tensors
        own_rng, own_unused, prefix_rng, prefix_unused = ctx.states
        layout, first_row, grad = ctx.layout, ctx.first_row, grad.contiguous()
        backward = torch.ops.aten._flash_attention_backward
        grad_query, grad_key, grad_value = backward(
            grad, query, key, value, out, lse, *_PrefixCascade.own(layout), 0.0, True, own_rng, own_unused,
            scale=ctx.scaling,
        )  # fmt: skip
        to_prefix = _PrefixCascade.to_prefix(layout, query, first_row)
        row_grad_query, grad_prefix_key, grad_prefix_value = backward(
            grad[first_row:], query[first_row:], prefix_key, prefix_value, out[first_row:],
            lse[:, first_row:].contiguous(), *to_prefix, 0.0, False, prefix_rng, prefix_unused, scale=ctx.scaling,
        )  # fmt: skip
        grad_query[first_row:] += row_grad_query
        return grad_query, grad_key, grad_value, grad_prefix_key, grad_prefix_value, None, None

    @staticmethod
    def own(layout: PackedLayout) -> tuple:
        """Each packed sequence's (causal) attention to its own tokens: boundaries and longest runs."""
        return layout.query_starts, layout.query_starts, layout.longest_query, layout.longest_query

    @staticmethod
    def to_prefix(layout: PackedLayout, query: torch.Tensor, first_row: int) -> tuple:
        """The row tokens' (non-causal) attention to the prefix, as one sequence: boundaries and lengths."""
        return layout.row_span, layout.prefix_span, query.shape[0] - first_row, layout.shared


# The shortest prefix the cascade takes: below it, a copy of the prefix's keys per row costs less than the
# cascade's second kernel call and its merge, which add a fixed few kernels per layer to a loop whose pace
# the host sets at small sizes. (Every chat row shares a template's first few tokens.) Reasoned, not
# measured between the bench's two cases: about 20 shared tokens (copied) and 16,000 (the cascade).
CASCADE_FROM = 512


def attend(query, key, value, prefix_key, prefix_value, layout: PackedLayout, scaling, window, cascade=None):
    """The packed attention over (tokens, heads, dim) queries and keys and values in packed order, with the
    prefix's keys and values apart: among `key`'s first tokens, or kept states when the prefix's tokens are
    not packed (layout.reuse). `cascade` forces the kernel's way for a shared prefix (None: by its length)."""
    flash = query.is_cuda and query.dtype in FLASH_DTYPES
    if cascade is None:
        cascade = layout.shared >= CASCADE_FROM
    if flash and layout.shared and window is None and cascade:
        return _PrefixCascade.apply(query, key, value, prefix_key, prefix_value, layout, scaling)
    if layout.shared:
        if layout.reuse is not None:
            key, value = torch.cat((prefix_key, key)), torch.cat((prefix_value, value))
        key, value = key[layout.key_index], value[layout.key_index]
    return (_flash_attention if flash else _reference_attention)(query, key, value, layout, scaling, window)


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
    # (1, heads, tokens, dim) -> (tokens, heads, dim)
    query, key, value = (states[0].transpose(0, 1) for states in (query, key, value))
    layout = packed_layout
    if layout.reuse is not None:
        prefix_key = layout.reuse.keys[module.layer_idx][: layout.shared]
        prefix_value = layout.reuse.values[module.layer_idx][: layout.shared]
    else:
        prefix_key, prefix_value = key[: layout.shared], value[: layout.shared]
        if layout.keep is not None:
            # Copies of the prefix alone: a view would hold the whole sequence's keys for as long as they are kept.
            layout.keep.keys[module.layer_idx] = prefix_key.detach().clone()
            layout.keep.values[module.layer_idx] = prefix_value.detach().clone()
    return attend(query, key, value, prefix_key, prefix_value, layout, scaling, sliding_window)[None], None


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
        torch.tensor([0, 7], dtype=torch.int32, device=device),
        torch.tensor([0, 5], dtype=torch.int32, device=device),
    )


def attention_and_grads(inputs: list[torch.Tensor], layout: PackedLayout, dtype: torch.dtype, window, cascade=None):
    """The packed attention (`attend`) over packed (query, key, value) `inputs` taken in `dtype`, and the
    gradients of its sum of squares with respect to them: on CUDA in 16 bits, the kernel's; otherwise,
    the rule written out."""
    query, key, value = (values.detach().to(dtype).requires_grad_() for values in inputs)
    shared = layout.shared
    output = attend(query, key, value, key[:shared], value[:shared], layout, None, window, cascade)
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
        # Both ways the kernel runs: on gathered keys (with or without a window), and in two parts.
        for window, cascade in ((None, False), (4, False), (None, True)):
            flash = attention_and_grads(inputs, layout, dtype, window, cascade)
            rule = attention_and_grads(inputs, layout, torch.float32, window)
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
