"""TRL's KTO loss, computed with the language-model head applied only where the loss reads it.

TRL's KTOTrainer runs the whole model on every padded position, materialises logits for the prompt
too (vocabulary-wide: 150k columns for Qwen) and then masks them away. Here the head, the
log-softmax and the metrics only see the completion positions, a chunk at a time (head_logps.py), for
the policy, the KL pass and the reference (live or precomputed). On CUDA the rows of a micro-batch are
packed end to end without padding, their shared prefix once, through FlashAttention's variable-length
kernel (packing.py, packed_attention.py); the passes without gradients (the KL rows, the reference) read
the prefix's keys and values from an earlier pass instead of running it again (PrefixStates). Elsewhere
the batch stays padded, and two more savings apply:
- TRL's collator pads on the right only, and under a causal mask no real token can see a pad to its
  right, so such batches run without an attention mask: PyTorch's SDPA then takes its flash kernel
  instead of a masked one. The outputs at real positions are the same.
- The precomputed reference pass skips KTOTrainer's on-disk cache, whose key is a hash of every
  weight copied to the CPU (about as long as the pass itself on a 1.5B model), and runs in batches
  of its own size.
On every device the rows are tokenized many to a tokenizer call (batched_tokenizing.py), not one
at a time. The loss and every logged metric are TRL's own formulas; tests/test_fast_kto.py checks loss and
gradients against KTOTrainer on one batch, packed and padded, with and without a shared prefix.

Used where it is exact: the plain "kto" loss, a text-only model whose head is a plain linear map (no logit
soft-capping or scaling). Anything else takes KTOTrainer's own path. Several processes (torchrun, one per
GPU) train data-parallel: every forward goes through the model's own (DDP's gradient all-reduce hangs on
it), and the reference pass is shared out between them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from typing import Any
from unittest import mock

import torch
import torch.nn.functional as F
from trl import KTOTrainer

from . import batched_tokenizing
from .head_logps import head_logps
from .lora_forward import fuse_lora_updates
from .packed_attention import LAYOUT_KEYS, PrefixStates, flash_unavailable_reason, packed_attention, packed_inputs
from .packing import SEQUENCES, PackingCollator

PADDED_KEYS = {
    "input_ids",
    "attention_mask",
    "completion_mask",
    "KL_input_ids",
    "KL_attention_mask",
    "KL_completion_mask",
}
PACKED_KEYS = {
    prefix + name
    for prefix, _ in SEQUENCES
    for name in (
        "packed_ids",
        "positions",
        "predict_at",
        "targets",
        "target_rows",
        "shared_ids",
        "longest_row_query",
        *LAYOUT_KEYS,
    )
} | {"row_tokens"}
COMMON_KEYS = {"label", "ref_logps", "ref_KL_logps"}


def _causal_lm(model: Any) -> Any:
    """The transformers model under accelerate and PEFT wrappers (LoRA layers stay injected in it)."""
    inner = getattr(model, "module", model)
    return inner.get_base_model() if hasattr(inner, "get_base_model") else inner


def head_is_plain(model: Any) -> bool:
    config = _causal_lm(model).config
    text = getattr(config, "text_config", None) or config
    return not any(getattr(text, name, None) for name in ("final_logit_softcapping", "logit_scale", "logits_scaling"))


def _per_row(token_logps: torch.Tensor, rows: torch.Tensor, count: int, extra: tuple | None):
    """Sums token values into their rows; with `extra` (entropy, mean logit), also those and token counts."""
    zeros = torch.zeros(count, dtype=token_logps.dtype, device=token_logps.device)
    per_row = zeros.index_add(0, rows, token_logps)
    if extra is None:
        return per_row
    entropy, mean_logit = extra
    return per_row, {
        "entropy": zeros.index_add(0, rows, entropy),
        "mean_logit": zeros.index_add(0, rows, mean_logit),
        "tokens": zeros.index_add(0, rows, torch.ones_like(entropy)),
    }


def _head(lm: Any, hidden: torch.Tensor, targets: torch.Tensor, rows: torch.Tensor, count: int, stats: bool):
    out = head_logps(lm, hidden, targets, stats)
    return _per_row(out[0], rows, count, out[1:]) if stats else _per_row(out, rows, count, None)


def last_hidden_state(model: Any, **inputs: Any) -> torch.Tensor:
    """The decoder's output, reached through the model's own forward, with the head given no positions.

    The forward is what data-parallel training hangs on: DistributedDataParallel arms its gradient
    all-reduce there, and accelerate wraps the mixed-precision autocast around it. Calling the decoder
    directly skips both, and each process then steps on its own gradients alone."""
    decoder = _causal_lm(model).get_decoder()
    captured: list[torch.Tensor] = []
    hook = decoder.register_forward_hook(lambda module, args, output: captured.append(output.last_hidden_state))
    try:
        model(**inputs, logits_to_keep=torch.empty(0, dtype=torch.long, device=inputs["input_ids"].device))
    finally:
        hook.remove()
    return captured[0]


def completion_logps(
    model: Any,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    completion_mask: torch.Tensor,
    stats: bool = False,
):
    """Summed log-probabilities of each padded row's completion tokens; with `stats`, also per-row sums of
    the token entropies and of the mean logit (TRL's entropy and logits/* metrics) and the token counts."""
    lm = _causal_lm(model)
    right_padded = bool((attention_mask[:, 1:] <= attention_mask[:, :-1]).all())
    hidden = last_hidden_state(
        model, input_ids=input_ids, attention_mask=None if right_padded else attention_mask, use_cache=False
    )
    where = completion_mask[:, 1:].bool()
    rows = where.nonzero()[:, 0]
    return _head(lm, hidden[:, :-1][where], input_ids[:, 1:][where], rows, input_ids.shape[0], stats)


def packed_completion_logps(
    model: Any,
    batch: dict[str, torch.Tensor],
    prefix: str = "",
    stats: bool = False,
    states: PrefixStates | None = None,
):
    """completion_logps for a packed batch (packing.py): the policy sequence, or with prefix "KL_" the KL one.
    `states`: the shared prefix's keys and values, read instead of running the prefix again by a pass without
    gradients whose prefix they cover, and otherwise kept from this pass (packed_inputs)."""
    lm = _causal_lm(model)
    inputs = packed_inputs(batch, prefix, states)
    layout = inputs["packed_layout"]
    with packed_attention(lm):
        hidden = last_hidden_state(model, **inputs)[0]
    if layout.keep is not None:
        layout.keep.tokens = batch[prefix + "shared_ids"]  # every layer has kept its prefix's states
    # Without the prefix's tokens, each packed index comes that many places earlier.
    predict_at = batch[prefix + "predict_at"] - (layout.shared if layout.reuse is not None else 0)
    return _head(
        lm,
        hidden[predict_at],
        batch[prefix + "targets"],
        batch[prefix + "target_rows"],
        batch["label"].shape[0],
        stats,
    )


def packing_available(model: Any, dtype: torch.dtype) -> str | None:
    """None when packed batches can train this model on this machine's GPU in `dtype`, else why not.
    Packing needs the model's attention to go through transformers' attention interface: one that does
    not (remote code, a loader that patches the attention) would attend across the packed rows."""
    if not getattr(_causal_lm(model), "_supports_attention_backend", False):
        return "this model's attention does not go through transformers' attention interface"
    text = getattr(_causal_lm(model).config, "text_config", None) or _causal_lm(model).config
    heads = text.num_attention_heads
    head_dim = getattr(text, "head_dim", None) or text.hidden_size // heads
    return flash_unavailable_reason(heads, getattr(text, "num_key_value_heads", None) or heads, head_dim, dtype)


def fast_path_applies(args: Any, model: Any) -> bool:
    """Where FastKTOTrainer's loss is exactly KTOTrainer's: see the module's last paragraph."""
    return args.loss_type == "kto" and not getattr(args, "use_liger_kernel", False) and head_is_plain(model)


@contextmanager
def _reference_cache_unhashed():
    """KTOTrainer's __init__ hashes every weight, copied to the CPU, to name its on-disk cache of reference
    log-probs: seconds per billion parameters, more than the reference pass itself. The fast path's pass
    keeps no such cache, so the hash is skipped. (Patching a name TRL no longer has fails loudly.)"""
    from trl.trainer import kto_trainer

    with mock.patch.object(kto_trainer, "hash_module", lambda module: "unused: the fast path keeps no cache"):
        yield


def lora_inputs_stay_16_bit(model: Any) -> None:
    """PEFT casts each LoRA layer's input to the adapter's fp32 before the adapter's matmuls, which the
    mixed-precision autocast then casts back to 16 bits: two copies of every projection's input, each
    step. Under autocast the result is the same without them (a 16-bit input times the dropout mask
    rounds once either way), so, for runs under autocast only, the input stays as it comes."""
    for module in model.modules():
        if hasattr(module, "cast_input_dtype_enabled"):
            module.cast_input_dtype_enabled = False


class FastKTOTrainer(KTOTrainer):
    def __init__(
        self,
        *args: Any,
        packed: bool = False,
        stages: Callable[[str, int], Callable[[int], None]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`packed`: lay each micro-batch's rows end to end (packing.py) where the fast path applies. On CUDA
        that needs FlashAttention's variable-length kernel: ask packing_available first. `stages`
        (Progress.counted) hears how the work before the first step goes: tokenizing, a chunk of rows at a
        time, and the reference pass, a batch at a time."""
        config, model = kwargs.get("args"), kwargs.get("model")
        self._stages = stages
        self._fast = fast_path_applies(config, model)
        self._packed = packed and self._fast
        if self._packed:
            kwargs["data_collator"] = PackingCollator(config.max_length)
        # Each micro-batch's metric sums, on the device, until the trainer next logs (read_metrics).
        self._unread_metrics: list[tuple[str, torch.Tensor]] = []
        # The reference's prefix keys and values while the reference pass before training runs.
        self._reference_prefix: PrefixStates | None = None
        with _reference_cache_unhashed() if self._fast else nullcontext():
            super().__init__(*args, **kwargs)
        if self._fast and (self.args.bf16 or self.args.fp16):
            lora_inputs_stay_16_bit(self.model)
        if self._fast:
            fuse_lora_updates(self.model)

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        if not (self._fast and batched_tokenizing.applies(dataset, processing_class)):
            return super()._prepare_dataset(dataset, processing_class, args, dataset_name)
        kl_batch = args.per_device_train_batch_size if self.calculate_KL else None
        return batched_tokenizing.prepare_text_rows(dataset, processing_class, args.max_length, kl_batch, self._stages)

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

    def _logps(
        self, model: Any, batch: dict, prefix: str = "", stats: bool = False, states: PrefixStates | None = None
    ):
        # accelerate wraps the model's forward in the mixed-precision autocast only once the Trainer has
        # prepared it, which the reference pass in __init__ comes before: entered here it covers every
        # pass. Without it the LoRA layers, which PEFT keeps in fp32, run their matmuls in fp32.
        with self.accelerator.autocast():
            if self._packed:
                return packed_completion_logps(model, batch, prefix, stats, states)
            return completion_logps(
                model,
                batch[prefix + "input_ids"],
                batch[prefix + "attention_mask"],
                batch[prefix + "completion_mask"],
                stats,
            )

    def _precompute_ref_logps(self, dataset, name: str, batch_size: int):
        from datasets import IterableDataset
        from torch.utils.data import DataLoader

        if not self._fast or isinstance(dataset, IterableDataset):
            return super()._precompute_ref_logps(dataset, name, batch_size)
        # Each process takes every n-th batch; gathering in step order puts the rows back in dataset order
        # (and drops the rows accelerate repeats to even out the last step), so every process ends with
        # the whole column, as KTOTrainer's own pass does. The results stay on the GPU until the end:
        # reading each batch's back would leave the GPU idle while the next one is collated.
        loader = self.accelerator.prepare(
            DataLoader(
                dataset,
                batch_size=batch_size,
                collate_fn=self.data_collator,
                shuffle=False,
                num_workers=self.args.dataloader_num_workers,
            )
        )
        logps, kl_logps = [], []
        report = self._stages("reference pass", len(loader)) if self._stages else None
        # The frozen reference's prefix states serve every batch whose rows begin with that prefix.
        self._reference_prefix = PrefixStates()
        try:
            for index, batch in enumerate(loader, start=1):
                if report:
                    report(index)
                row_logps, row_kl_logps = self.compute_ref_log_probs(self.model, batch)
                if row_kl_logps is None:
                    logps.append(self.accelerator.gather_for_metrics(row_logps.float()))
                else:
                    row_logps, row_kl_logps = self.accelerator.gather_for_metrics(
                        (row_logps.float(), row_kl_logps.float())
                    )
                    logps.append(row_logps)
                    kl_logps.append(row_kl_logps)
        finally:
            self._reference_prefix = None
        dataset = dataset.add_column("ref_logps", torch.cat(logps).cpu().tolist())
        if self.calculate_KL:
            dataset = dataset.add_column("ref_KL_logps", torch.cat(kl_logps).cpu().tolist())
        return dataset

    def compute_ref_log_probs(self, model, inputs):
        if not self._fast:
            return super().compute_ref_log_probs(model, inputs)
        reference, adapter_off, no_checkpointing = self._reference()
        # The reference pass before training keeps one prefix for all its batches; a live reference, per step.
        states = self._reference_prefix if self._reference_prefix is not None else PrefixStates()
        with torch.no_grad(), no_checkpointing, adapter_off:
            logps = self._logps(reference, inputs, states=states)
            kl_logps = self._logps(reference, inputs, "KL_", states=states) if self.calculate_KL else None
        return logps, kl_logps

    def _compute_loss(self, model, inputs, return_outputs):
        known = (PACKED_KEYS if self._packed else PADDED_KEYS) | COMMON_KEYS
        if not self._fast or set(inputs) - known:
            return super()._compute_loss(model, inputs, return_outputs)
        mode = "train" if self.model.training else "eval"
        batch = {
            key: (value.to(self.accelerator.device) if isinstance(value, torch.Tensor) else value)
            for key, value in inputs.items()
        }
        desirable = torch.as_tensor(batch["label"], dtype=torch.bool, device=self.accelerator.device)

        # The policy pass keeps its prefix's keys and values, and the KL pass, whose rows begin with the same
        # prefix, reads them instead of running it again. TRL runs the KL pass first; the order changes
        # nothing but, with LoRA dropout, which draw the prefix gets: the KL estimate, which takes no
        # gradient, sees the policy pass's draw there rather than one of its own.
        states = PrefixStates() if self.calculate_KL else None
        logps, stats = self._logps(model, batch, stats=True, states=states)
        if self.calculate_KL:
            with torch.no_grad():
                kl_logps = self._logps(model, batch, "KL_", states=states)
        if self.precompute_ref_logps:
            ref_logps = batch["ref_logps"].to(logps.dtype)
            ref_kl_logps = batch["ref_KL_logps"].to(logps.dtype) if self.calculate_KL else None
        else:
            ref_logps, ref_kl_logps = self.compute_ref_log_probs(model, batch)

        # TRL's KL estimate: this micro-batch's mean, averaged over the data-parallel processes.
        kl = (
            self.accelerator.gather_for_metrics((kl_logps - ref_kl_logps).mean().detach()).mean().clamp(min=0)
            if self.calculate_KL
            else torch.zeros((), device=logps.device)
        )
        logratios = logps - ref_logps
        # TRL's losses, per row in place rather than chosen and rejected rows gathered apart: the same values
        # and the same mean, without the device-to-host synchronisation that boolean indexing costs.
        losses = torch.where(
            desirable,
            self.desirable_weight * (1 - F.sigmoid(self.beta * (logratios - kl))),
            self.undesirable_weight * (1 - F.sigmoid(self.beta * (kl - logratios))),
        )
        self._record_metrics(mode, batch, desirable, logps, logratios, kl, stats)
        loss = losses.nanmean()
        return (loss, None) if return_outputs else loss

    def _record_metrics(
        self, mode: str, batch: dict, desirable: torch.Tensor, logps, logratios, kl, stats: dict
    ) -> None:
        """Keeps the sums behind the metrics KTOTrainer logs, from completion positions only (where TRL's masks
        leave them), on the device: they are read back when the trainer logs, all micro-batches' at once, so
        that the training loop does not wait for the GPU between the forward and backward passes."""
        rewards, logps = (self.beta * logratios).detach(), logps.detach()
        tokens_in_rows = batch["row_tokens"] if self._packed else batch["attention_mask"].sum()
        sums = [kl, stats["entropy"].sum(), stats["tokens"].sum(), tokens_in_rows]
        for rows in (desirable, ~desirable):
            weight = rows.to(logps.dtype)
            sums += [
                weight.sum(),
                (stats["tokens"] * weight).sum(),
                (stats["mean_logit"] * weight).sum(),
                (rewards * weight).nansum(),
                (logps * weight).nansum(),
            ]
        self._unread_metrics.append((mode, torch.stack([value.float() for value in sums])))

    def read_metrics(self) -> None:
        """Moves the recorded sums into KTOTrainer's metrics in one transfer, summed over the data-parallel
        processes as TRL's are (the KL, already averaged over them, stays as it is)."""
        if not self._unread_metrics:
            return
        modes = [mode for mode, _ in self._unread_metrics]
        # (processes, micro-batches, sums): every process has recorded the same micro-batches.
        gathered = self.accelerator.gather(torch.stack([sums for _, sums in self._unread_metrics])[None])
        self._unread_metrics.clear()
        totals = gathered.sum(0)
        totals[:, 0] = gathered[0, :, 0]
        for mode, values in zip(modes, totals.tolist(), strict=True):
            self._add_metrics(mode, values)

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        self.read_metrics()
        super().log(logs, start_time)

    def _add_metrics(self, mode: str, values: list[float]) -> None:
        kl_value, entropy, tokens, row_tokens, *by_label = values
        metrics = self._metrics[mode]
        metrics["kl"].append(kl_value)
        metrics["entropy"].append(entropy / tokens if tokens > 0 else 0.0)
        if mode == "train":
            self._total_train_tokens += int(row_tokens)
        metrics["num_tokens"] = [self._total_train_tokens]
        for index, name in enumerate(("chosen", "rejected")):
            count, label_tokens, mean_logit, reward, logp = by_label[5 * index : 5 * index + 5]
            if label_tokens > 0:
                metrics[f"logits/{name}"].append(mean_logit / label_tokens)
            if count > 0:
                metrics[f"rewards/{name}"].append(reward / count)
                metrics[f"logps/{name}"].append(logp / count)
        if by_label[0] > 0 and by_label[5] > 0:
            metrics["rewards/margins"].append(metrics["rewards/chosen"][-1] - metrics["rewards/rejected"][-1])
