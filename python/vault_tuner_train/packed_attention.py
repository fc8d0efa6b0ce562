"""Attention over a packed sequence (packing.py): each token sees the earlier tokens of its own row and of
the shared prefix the row belongs to, and nothing else.

Without a shared prefix, the rows' queries, keys and values are gathered into a right-padded (rows,
longest) grid and go through PyTorch's SDPA with a causal mask (its flash kernel on CUDA), and the outputs
are scattered back: the padding costs only attention, a small share of the work, while every matmul of
the model runs on real tokens alone.

With a shared prefix, a row's queries see keys outside the row, which no causal kernel expresses. On CUDA,
FlexAttention takes the rule as a block mask and skips the blocks it rules out (compiled once per run).
FlexAttention has no backward pass on the CPU, so there the same rule is written out as a dense boolean
mask for SDPA: exact, but quadratic in memory, fit for tests and small packs.

transformers calls the attention function its config names, with the layer's sliding window, and passes
on the model's keyword arguments: the layout travels as `packed`, and the decoder gets a 4-D
attention_mask so that no model builds a mask of its own.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from typing import Any

import torch

IMPLEMENTATION = "vault_tuner_packed"


@cache
def _flex(device_type: str):
    from torch.nn.attention.flex_attention import flex_attention

    # Uncompiled, FlexAttention falls back to materialising the scores (as the CPU tests use it, forward
    # only); compiled, it is a fused kernel. Pack lengths differ from batch to batch: dynamic shapes
    # compile it once, not once per length.
    return torch.compile(flex_attention, dynamic=True) if device_type == "cuda" else flex_attention


class PackedMasks:
    """One packed sequence's layout (packing.py's tensors) and the masks made from it: for a shared prefix,
    FlexAttention block masks on CUDA and dense boolean masks elsewhere, the causal one and one per
    sliding-window width asked for."""

    def __init__(self, batch: dict[str, torch.Tensor], prefix: str = "") -> None:
        self.segments, self.roots, self.positions = (batch[prefix + key] for key in ("segments", "roots", "positions"))
        self.row_index, self.unpad_index = batch[prefix + "row_index"], batch[prefix + "unpad_index"]
        self.length = self.segments.shape[0]
        # Shapes only (no device synchronisation): the tokens that are not the rows' own are the prefix.
        self.shared = self.length > self.unpad_index.shape[0]
        self.flex = self.segments.device.type == "cuda"
        self._by_window: dict[int | None, Any] = {}

    def visible(self, query: torch.Tensor, key: torch.Tensor, window: int | None) -> torch.Tensor:
        """The rule: an earlier (or the same) token of the query's own segment or of its shared prefix,
        within the sliding window when the layer has one."""
        segments, positions = self.segments, self.positions
        seen = (key <= query) & ((segments[key] == segments[query]) | (segments[key] == self.roots[query]))
        return seen if window is None else seen & (positions[query] - positions[key] < window)

    def mask(self, window: int | None = None):
        if window not in self._by_window:
            if self.flex:
                from torch.nn.attention.flex_attention import create_block_mask

                self._by_window[window] = create_block_mask(
                    lambda batch, head, query, key: self.visible(query, key, window),
                    None,
                    None,
                    self.length,
                    self.length,
                    device=self.segments.device,
                    _compile=self.segments.device.type == "cuda",
                )
            else:
                index = torch.arange(self.length, device=self.segments.device)
                self._by_window[window] = self.visible(index[:, None], index[None, :], window)[None, None]
        return self._by_window[window]


def _rows_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    layout: PackedMasks,
    scaling: float | None,
    window: int | None,
) -> torch.Tensor:
    """Attention of rows that share nothing: gathered into the padded grid, through SDPA, scattered back.
    Pads sit after each row's last token, so under the causal mask no real query sees one."""
    rows, longest = layout.row_index.shape
    heads, head_dim = query.shape[1], query.shape[3]

    def grid(states: torch.Tensor) -> torch.Tensor:  # (1, heads, tokens, dim) -> (rows, heads, longest, dim)
        return states[0][:, layout.row_index].transpose(0, 1)

    query, key, value = grid(query), grid(key), grid(value)
    mask = None
    if window is not None:
        index = torch.arange(longest, device=query.device)
        mask = (index[None, :] <= index[:, None]) & (index[:, None] - index[None, :] < window)
    if key.shape[1] != heads and mask is not None:
        # SDPA's grouped-query mode takes no explicit mask; the masked kernel gets the heads repeated.
        key, value = (states.repeat_interleave(heads // key.shape[1], dim=1) for states in (key, value))
    output = torch.nn.functional.scaled_dot_product_attention(
        query,
        key,
        value,
        attn_mask=mask,
        is_causal=mask is None,
        scale=scaling,
        enable_gqa=key.shape[1] != heads,
    )
    # (rows, heads, longest, dim) -> (1, tokens, heads, dim), the real tokens in packed order
    return output.transpose(1, 2).reshape(rows * longest, heads, head_dim)[layout.unpad_index][None]


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
    packed_masks: PackedMasks | None = None,
    **kwargs: Any,
) -> tuple[torch.Tensor, None]:
    if packed_masks is None:
        raise RuntimeError("the packed attention was called without packed_masks")
    if dropout:
        raise RuntimeError("the packed attention has no attention dropout; this model's config asks for it")
    if not packed_masks.shared and not softcap:
        return _rows_attention(query, key, value, packed_masks, scaling, sliding_window), None

    def capped(score, batch, head, query_index, key_index):
        return softcap * torch.tanh(score / softcap)

    grouped = query.shape[1] != key.shape[1]
    if packed_masks.flex:
        output = _flex(query.device.type)(
            query,
            key,
            value,
            score_mod=capped if softcap else None,
            block_mask=packed_masks.mask(sliding_window),
            scale=scaling,
            enable_gqa=grouped,
        )
    elif softcap:
        raise RuntimeError("the packed attention supports soft-capped attention scores on CUDA only")
    else:
        output = torch.nn.functional.scaled_dot_product_attention(
            query, key, value, attn_mask=packed_masks.mask(sliding_window), scale=scaling, enable_gqa=grouped
        )
    # transformers' attention functions return (batch, tokens, heads, head_dim).
    return output.transpose(1, 2).contiguous(), None


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


def packed_hidden_states(causal_lm: Any, batch: dict[str, torch.Tensor], prefix: str = "") -> torch.Tensor:
    """The decoder's last hidden states for one packed sequence, (tokens, hidden)."""
    masks = PackedMasks(batch, prefix)
    # Any 4-D tensor makes the decoder skip building a mask; the attention above reads `packed_masks`.
    no_mask = masks.mask() if masks.shared else torch.ones(1, 1, 1, 1, dtype=torch.bool, device=masks.segments.device)
    with packed_attention(causal_lm):
        return causal_lm.get_decoder()(
            input_ids=batch[prefix + "packed_ids"][None],
            position_ids=batch[prefix + "positions"][None],
            attention_mask=no_mask,
            packed_masks=masks,
            use_cache=False,
        ).last_hidden_state[0]
