"""One process of tests/test_fast_kto.py's data-parallel checks, run under torchrun (two CPU processes).

Each process builds KTOTrainer and FastKTOTrainer over the same model, takes its own share of the first
batch, and computes both losses: KTOTrainer averages the KL estimate over the processes, and so must the
fast path. It also computes the fast path's loss with each process's KL left as its own, to show the
check can tell the two apart. Writes TMP/result-RANK.json (a file per process: the two processes' printed
lines can interleave in torchrun's output): python data_parallel_kto_worker.py MODEL DATASET TMP

With a fourth argument, `train`: the fast path on packed batches with a shared prefix (the KL rows reading
the policy rows' prefix states) trains two steps through Trainer.train, under DistributedDataParallel,
and the process writes its adapter's checksum, which gradients averaged over the processes keep equal,
to TMP/result-RANK.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from unittest import mock

import torch
from test_fast_kto import build_trainers, loss_and_grads


def train_packed(model: Path, dataset: Path, tmp: Path) -> None:
    _, ours = build_trainers(model, dataset, tmp, precompute=True, packed=True)
    ours.args.max_steps, ours.args.logging_steps = 2, 1
    adapter = [parameter for parameter in ours.model.parameters() if parameter.requires_grad]
    before = torch.cat([parameter.detach().flatten() for parameter in adapter]).double()
    ours.train()
    after = torch.cat([parameter.detach().flatten() for parameter in adapter]).double()
    rank = ours.accelerator.process_index
    (tmp / f"result-{rank}.json").write_text(
        json.dumps(
            {
                "rank": rank,
                "wrapper": type(ours.model_wrapped).__name__,
                "moved": float((after - before).abs().max()),
                "checksum": [float(after.sum()), float((after * torch.arange(len(after))).sum())],
            }
        )
    )
    ours.accelerator.wait_for_everyone()
    ours.accelerator.end_training()


def main() -> None:
    model, dataset, tmp = (Path(argument) for argument in sys.argv[1:4])
    if sys.argv[4:] == ["train"]:
        train_packed(model, dataset, tmp)
        return
    trl, ours = build_trainers(model, dataset, tmp, precompute=False)
    trl_batch = next(iter(trl.get_train_dataloader()))
    our_batch = next(iter(ours.get_train_dataloader()))
    same_rows = torch.equal(trl_batch["input_ids"], our_batch["input_ids"])
    trl_loss, _ = loss_and_grads(trl, trl_batch)
    our_loss, _ = loss_and_grads(ours, our_batch)
    with mock.patch.object(ours.accelerator, "gather_for_metrics", lambda value: value):
        local_kl_loss, _ = loss_and_grads(ours, our_batch)
    (tmp / f"result-{ours.accelerator.process_index}.json").write_text(
        json.dumps(
            {
                "rank": ours.accelerator.process_index,
                "processes": ours.accelerator.num_processes,
                "same_rows": same_rows,
                "first_row": our_batch["input_ids"][0].tolist(),
                "trl_loss": trl_loss,
                "our_loss": our_loss,
                "local_kl_loss": local_kl_loss,
            }
        )
    )
    # Both processes leave together, the process group closed (as train() does).
    ours.accelerator.wait_for_everyone()
    ours.accelerator.end_training()


if __name__ == "__main__":
    main()
