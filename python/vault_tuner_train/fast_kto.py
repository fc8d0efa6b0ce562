"""TRL's KTO loss, computed with the language-model head applied only where the loss reads it.

TRL's KTOTrainer runs the whole model on every padded position, materialises logits for the prompt
too (vocabulary-wide: 150k columns for Qwen) and then masks them away. Here the head, the
log-softmax and the metrics only see the completion positions, for the policy, the KL pass and the
reference (live or precomputed). Two more savings:
- TRL's collator pads on the right only, and under a causal mask no real token can see a pad to its
  right, so such batches run without an attention mask: PyTorch's SDPA then takes its flash kernel
  instead of a masked one. The outputs at real positions are the same.
- The precomputed reference pass skips KTOTrainer's on-disk cache, whose key is a hash of every
  weight copied to the CPU (about as long as the pass itself on a 1.5B model), and runs in batches
  of its own size.
The loss and every logged metric are TRL's own formulas; tests/test_fast_kto.py checks loss and
gradients against KTOTrainer on one batch.

Used where it is exact: one process, the plain "kto" loss, a text-only model whose head is a plain
linear map (no logit soft-capping or scaling). Anything else takes KTOTrainer's own path.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import torch
import torch.nn.functional as F
from trl import KTOTrainer

TEXT_KEYS = {
    "input_ids",
    "attention_mask",
    "completion_mask",
    "KL_input_ids",
    "KL_attention_mask",
    "KL_completion_mask",
    "label",
    "ref_logps",
    "ref_KL_logps",
}


def _causal_lm(model: Any) -> Any:
    """The transformers model under accelerate and PEFT wrappers (LoRA layers stay injected in it)."""
    inner = getattr(model, "module", model)
    return inner.get_base_model() if hasattr(inner, "get_base_model") else inner


def head_is_plain(model: Any) -> bool:
    config = _causal_lm(model).config
    text = getattr(config, "text_config", None) or config
    return not any(getattr(text, name, None) for name in ("final_logit_softcapping", "logit_scale", "logits_scaling"))


def completion_logps(
    model: Any,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    completion_mask: torch.Tensor,
    stats: bool = False,
):
    """Summed log-probabilities of each row's completion tokens; with `stats`, also per-row sums of the
    token entropies and of the mean logit (TRL's entropy and logits/* metrics) and the token counts."""
    lm = _causal_lm(model)
    right_padded = bool((attention_mask[:, 1:] <= attention_mask[:, :-1]).all())
    hidden = lm.get_decoder()(
        input_ids=input_ids, attention_mask=None if right_padded else attention_mask
    ).last_hidden_state
    where = completion_mask[:, 1:].bool()
    rows = where.nonzero()[:, 0]
    logits = lm.get_output_embeddings()(hidden[:, :-1][where]).float()
    targets = input_ids[:, 1:][where]
    token_logps = logits.gather(-1, targets[:, None]).squeeze(-1) - torch.logsumexp(logits, dim=-1)
    per_row = torch.zeros(input_ids.shape[0], dtype=token_logps.dtype, device=token_logps.device).index_add(
        0, rows, token_logps
    )
    if not stats:
        return per_row
    with torch.no_grad():
        detached = logits.detach()
        entropy = torch.logsumexp(detached, dim=-1) - (F.softmax(detached, dim=-1) * detached).sum(-1)
        zeros = torch.zeros_like(per_row)
        extra = {
            "entropy": zeros.index_add(0, rows, entropy),
            "mean_logit": zeros.index_add(0, rows, detached.mean(-1)),
            "tokens": zeros.index_add(0, rows, torch.ones_like(entropy)),
        }
    return per_row, extra


class FastKTOTrainer(KTOTrainer):
    @property
    def _fast(self) -> bool:
        return (
            self.loss_type == "kto"
            and not self.use_liger_kernel
            and self.accelerator.num_processes == 1
            and head_is_plain(self.model)
        )

    def _reference(self):
        """The frozen reference: a separate model, or the policy with its LoRA adapter switched off."""
        from trl.models.utils import disable_gradient_checkpointing
        from trl.trainer.utils import use_adapter

        no_checkpointing = disable_gradient_checkpointing(self.model, self.args.gradient_checkpointing_kwargs)
        if self.ref_model is not None:
            return self.ref_model, nullcontext(), no_checkpointing
        unwrapped = self.accelerator.unwrap_model(self.model)
        return (
            self.model,
            use_adapter(unwrapped, adapter_name="ref" if "ref" in unwrapped.peft_config else None),
            no_checkpointing,
        )

    def _precompute_ref_logps(self, dataset, name: str, batch_size: int):
        from datasets import IterableDataset
        from torch.utils.data import DataLoader

        if not self._fast or isinstance(dataset, IterableDataset):
            return super()._precompute_ref_logps(dataset, name, batch_size)
        loader = DataLoader(dataset, batch_size=batch_size, collate_fn=self.data_collator, shuffle=False)
        logps, kl_logps = [], []
        for batch in loader:
            batch = {
                key: (value.to(self.accelerator.device) if isinstance(value, torch.Tensor) else value)
                for key, value in batch.items()
            }
            row_logps, row_kl_logps = self.compute_ref_log_probs(self.model, batch)
            logps.append(row_logps.float().cpu())
            if row_kl_logps is not None:
                kl_logps.append(row_kl_logps.float().cpu())
        dataset = dataset.add_column("ref_logps", torch.cat(logps).tolist())
        if self.calculate_KL:
            dataset = dataset.add_column("ref_KL_logps", torch.cat(kl_logps).tolist())
        return dataset

    def compute_ref_log_probs(self, model, inputs):
        if not self._fast:
            return super().compute_ref_log_probs(model, inputs)
        reference, adapter_off, no_checkpointing = self._reference()
        with torch.no_grad(), no_checkpointing, adapter_off:
            logps = completion_logps(
                reference, inputs["input_ids"], inputs["attention_mask"], inputs["completion_mask"]
            )
            kl_logps = (
                completion_logps(
                    reference, inputs["KL_input_ids"], inputs["KL_attention_mask"], inputs["KL_completion_mask"]
                )
                if self.calculate_KL
                else None
            )
        return logps, kl_logps

    def _compute_loss(self, model, inputs, return_outputs):
        if not self._fast or set(inputs) - TEXT_KEYS:
            return super()._compute_loss(model, inputs, return_outputs)
        mode = "train" if self.model.training else "eval"
        batch = {
            key: (value.to(self.accelerator.device) if isinstance(value, torch.Tensor) else value)
            for key, value in inputs.items()
        }
        desirable = torch.as_tensor(batch["label"], dtype=torch.bool, device=self.accelerator.device)

        if self.calculate_KL:
            with torch.no_grad():
                kl_logps = completion_logps(
                    model, batch["KL_input_ids"], batch["KL_attention_mask"], batch["KL_completion_mask"]
                )
        logps, stats = completion_logps(
            model, batch["input_ids"], batch["attention_mask"], batch["completion_mask"], stats=True
        )
        if self.precompute_ref_logps:
            ref_logps = batch["ref_logps"].to(logps.dtype)
            ref_kl_logps = batch["ref_KL_logps"].to(logps.dtype) if self.calculate_KL else None
        else:
            ref_logps, ref_kl_logps = self.compute_ref_log_probs(model, batch)

        kl = (
            (kl_logps - ref_kl_logps).mean().detach().clamp(min=0)
            if self.calculate_KL
            else torch.zeros((), device=logps.device)
        )
        logratios = logps - ref_logps
        chosen, rejected = logratios[desirable], logratios[~desirable]
        losses = torch.cat(
            (
                self.desirable_weight * (1 - F.sigmoid(self.beta * (chosen - kl))),
                self.undesirable_weight * (1 - F.sigmoid(self.beta * (kl - rejected))),
            )
        )
        self._record_metrics(mode, batch, desirable, logps, logratios, kl, stats)
        loss = losses.nanmean()
        return (loss, None) if return_outputs else loss

    def _record_metrics(
        self, mode: str, batch: dict, desirable: torch.Tensor, logps, logratios, kl, stats: dict
    ) -> None:
        """The metrics KTOTrainer logs, from completion positions only (where TRL's masks leave them)."""
        metrics = self._metrics[mode]
        metrics["kl"].append(kl.item())
        tokens = stats["tokens"].sum()
        metrics["entropy"].append((stats["entropy"].sum() / tokens).item() if tokens > 0 else 0.0)
        if mode == "train":
            self._total_train_tokens += int(batch["attention_mask"].sum().item())
        metrics["num_tokens"] = [self._total_train_tokens]
        for name, rows in (("chosen", desirable), ("rejected", ~desirable)):
            count = int(rows.sum().item())
            if stats["tokens"][rows].sum() > 0:
                metrics[f"logits/{name}"].append((stats["mean_logit"][rows].sum() / stats["tokens"][rows].sum()).item())
            if count > 0:
                metrics[f"rewards/{name}"].append((self.beta * logratios.detach()[rows]).nansum().item() / count)
                metrics[f"logps/{name}"].append(logps.detach()[rows].nansum().item() / count)
        if desirable.any() and (~desirable).any():
            metrics["rewards/margins"].append(metrics["rewards/chosen"][-1] - metrics["rewards/rejected"][-1])
