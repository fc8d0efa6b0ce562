"""Several training processes (torchrun, one per GPU): which one speaks, and proof that they stayed in step.

Data-parallel training is only right if every process applies the same averaged gradient: then the
adapters stay identical. A forward that bypasses DistributedDataParallel trains each process on its
own shard instead, silently. So at the end of a run the processes compare checksums of their trainable
weights, and a run whose processes differ fails instead of saving one of them.
"""

from __future__ import annotations

import os
from typing import Any


def process_count() -> int:
    """Data-parallel processes in this run (torchrun's WORLD_SIZE; 1 when run plainly)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def shared_accumulation(accumulation: int, processes: int) -> int:
    """The recipe's gradient accumulation split among the processes, which each add a micro-batch to every
    step: the effective batch stays the recipe's where the accumulation divides among them, and grows to
    one micro-batch per process where it does not."""
    return max(1, accumulation // processes)


def is_main_process() -> bool:
    """Rank 0, or the only process: the one that writes progress events and files."""
    return os.environ.get("RANK", "0") == "0"


def weight_checksums(model: Any):
    """Three sums over every trainable weight, in float64: plain, squared, and weighted by position (so
    that a permutation shows)."""
    import torch

    weights = torch.cat([p.detach().flatten().double() for p in model.parameters() if p.requires_grad])
    position = torch.arange(1, weights.numel() + 1, dtype=torch.float64, device=weights.device) / weights.numel()
    return torch.stack([weights.sum(), weights.square().sum(), (weights * position).sum()])


def weight_spread(model: Any, accelerator: Any) -> float:
    """The largest relative difference between the processes' checksums (0.0 with one process)."""
    gathered = accelerator.gather(weight_checksums(model)[None]).cpu()
    scale = gathered.abs().amax(dim=0).clamp(min=1.0)
    return float(((gathered - gathered[0]).abs() / scale).max())
