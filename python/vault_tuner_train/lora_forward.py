"""LoRA's update added inside the adapter's second matmul, instead of by two passes over the layer's output.

PEFT's LoRA layer computes `base(x) + B(A(dropout(x))) * scaling`: the update is written out at the
layer's full width, multiplied by the scaling in a pass of its own and added in another, and the backward
multiplies its gradient once more. At 13,900 packed tokens of a 0.5B model those passes over the MLP's
4,864-wide outputs took more GPU time than the attention. Here the scaling goes on the rank-r activation
(`A(dropout(x)) * scaling`, 32 columns wide) and the addition into the second matmul's epilogue
(`addmm(base(x), h, B^T)`): the same sum with one rounding fewer, and no full-width pass at all.

Only plain LoRA on a plain linear layer takes this path (one active adapter, no DoRA or other variant, no
bias on B, no per-call adapter names, not merged); anything else, the reference pass with the adapter
switched off included, runs PEFT's own forward.
"""

from __future__ import annotations

import types
from typing import Any

import torch


def _fused_forward(self, x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    # PEFT's own forward, looked up on the class (a copied model's layers then fall back to themselves).
    peft_forward = type(self).forward
    active = self.active_adapters
    if args or kwargs or self.disable_adapters or self.merged or len(active) != 1:
        return peft_forward(self, x, *args, **kwargs)
    name = active[0]
    if name not in self.lora_A or name in self.lora_variant or self.lora_B[name].bias is not None:
        return peft_forward(self, x, *args, **kwargs)
    lora_a, lora_b = self.lora_A[name], self.lora_B[name]
    # PEFT casts x to the adapter's dtype where autocast does not match them up; that case stays PEFT's.
    if x.dtype != lora_a.weight.dtype and not torch.is_autocast_enabled(x.device.type):
        return peft_forward(self, x, *args, **kwargs)
    result = self.base_layer(x)
    low_rank = lora_a(self.lora_dropout[name](x)) * self.scaling[name]
    width = result.shape[-1]
    summed = torch.addmm(result.reshape(-1, width), low_rank.reshape(-1, low_rank.shape[-1]), lora_b.weight.t())
    return summed.view(result.shape)


def fuse_lora_updates(model: Any) -> int:
    """Gives every plain LoRA linear layer in `model` the fused forward; returns how many there were."""
    from peft.tuners.lora.layer import Linear

    fused = 0
    for module in model.modules():
        # The exact class: LoRA on quantized bases (bitsandbytes' layers) and subclasses keep their forward.
        if type(module) is Linear and "forward" not in vars(module):
            module.forward = types.MethodType(_fused_forward, module)
            fused += 1
    return fused
