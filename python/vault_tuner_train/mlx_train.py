"""KTO and SFT with MLX (Apple Silicon; Linux CPU through mlx-cpu for tests).

mlx-lm has no KTO, so the loss is written here on MLX arrays, following TRL's KTOTrainer: summed
completion log-probs, reference log-probs from the frozen base (computed once, before the LoRA layers
exist), a KL estimate from each batch's prompts paired with the batch's completions rotated by one,
clamped at zero and without gradient, and the two sigmoid losses weighted per class. A batch with one
class only still uses only that class's KTO term: there is no fallback to cross-entropy.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from .errors import TrainError
from .progress import Progress
from .recipes import Recipe
from .run_inputs import prepare_run, warn_of_long_rows
from .tokenizer_files import save_tokenizer, template_hash
from .train import prune_checkpoints, step_budget


def encode(tokenizer: Any, prompt: str, completion: str, max_length: int) -> tuple[list[int], int]:
    """Token ids of prompt + completion and where the completion starts, tokenized as TRL's KTOTrainer does
    (the prompt, then prompt and completion together). An over-long prompt loses its beginning."""
    prompt_ids = tokenizer(prompt).input_ids
    full_ids = tokenizer(prompt + completion).input_ids
    completion_ids = full_ids[len(prompt_ids) :][:max_length]
    prompt_ids = prompt_ids[max(0, len(prompt_ids) - (max_length - len(completion_ids))) :]
    return prompt_ids + completion_ids, len(prompt_ids)


def _batch(sequences: list[tuple[list[int], int]], pad: int):
    import mlx.core as mx

    width = max(len(ids) for ids, _ in sequences)
    ids = [seq + [pad] * (width - len(seq)) for seq, _ in sequences]
    mask = [[1.0 if start <= i < len(seq) else 0.0 for i in range(width)] for seq, start in sequences]
    return mx.array(ids), mx.array(mask)


def sequence_logps(model: Any, ids: Any, mask: Any):
    """Sum of the log-probabilities of the masked (completion) tokens, per sequence."""
    import mlx.core as mx

    logits = model(ids[:, :-1]).astype(mx.float32)
    logps = logits - mx.logsumexp(logits, axis=-1, keepdims=True)
    token_logps = mx.take_along_axis(logps, ids[:, 1:, None], axis=-1).squeeze(-1)
    return (token_logps * mask[:, 1:]).sum(axis=1)


def kl_pairs(encoded: list[tuple[list[int], int]], batch: list[int], max_length: int) -> list[tuple[list[int], int]]:
    """Each prompt with the previous row's completion (TRL's rotation by one): KTO's KL pairs."""
    pairs = []
    for position, index in enumerate(batch):
        other = batch[(position - 1) % len(batch)]
        prompt_ids = encoded[index][0][: encoded[index][1]]
        completion = encoded[other][0][encoded[other][1] :]
        ids = (prompt_ids + completion)[-max_length:]
        pairs.append((ids, max(0, len(ids) - len(completion))))
    return pairs


def prepare_batch(
    encoded: list[tuple[list[int], int]], labels: list[bool], batch: list[int], pad: int, max_length: int
):
    """The arrays of one batch: ids and completion mask, the KL pairs' ids and mask, and the labels."""
    import mlx.core as mx

    ids, mask = _batch([encoded[i] for i in batch], pad)
    kl_ids, kl_mask = _batch(kl_pairs(encoded, batch, max_length), pad)
    return ids, mask, kl_ids, kl_mask, mx.array([labels[i] for i in batch])


def kto_loss(
    model: Any,
    ids: Any,
    mask: Any,
    kl_ids: Any,
    kl_mask: Any,
    desirable: Any,
    ref: Any,
    ref_kl: Any,
    *,
    beta: float,
    desirable_weight: float,
    undesirable_weight: float,
):
    """TRL's KTO loss on one batch; returns it with the KL estimate, log-ratios and policy log-probs."""
    import mlx.core as mx

    policy = sequence_logps(model, ids, mask)
    kl = mx.maximum(mx.stop_gradient((sequence_logps(model, kl_ids, kl_mask) - ref_kl).mean()), 0.0)
    ratio = policy - ref
    chosen = desirable_weight * (1 - mx.sigmoid(beta * (ratio - kl)))
    rejected = undesirable_weight * (1 - mx.sigmoid(beta * (kl - ratio)))
    return mx.where(desirable, chosen, rejected).mean(), (kl, ratio, policy)


def train_mlx(
    mode: str, recipe: Recipe, dataset_path: str, output: str, max_steps: int | None, resume: bool, progress: Progress
) -> dict[str, Any]:
    try:
        import mlx.core as mx
        import mlx.nn as nn
        import mlx.optimizers as optim
        from mlx.utils import tree_flatten
        from mlx_lm import load
        from mlx_lm.tuner.utils import linear_to_lora_layers
    except ImportError as error:
        raise TrainError(
            f"MLX is not installed: {error}",
            "pip install mlx mlx-lm (on Linux: mlx[cpu]), or use --backend torch",
            "mlx-missing",
        ) from error

    run = prepare_run(mode, recipe, dataset_path)
    warn_of_long_rows(run, recipe.max_length, "at the prompt's start, keeping the completion")
    max_steps = step_budget(max_steps, recipe)
    model_name, dataset, tokenizer, rows, batch_size = (
        run.model_name,
        run.dataset,
        run.tokenizer,
        run.rows,
        run.settings.batch_size,
    )
    max_length = recipe.max_length
    encoded = [encode(tokenizer, row["prompt"], row["completion"], max_length) for row in rows]
    labels = [row.get("label", True) for row in rows]
    # File order decides batch contents, as in TRL: the dataset builder interleaved the classes.
    batches = [list(range(i, min(i + batch_size, len(rows)))) for i in range(0, len(rows), batch_size)]
    total = max_steps or max(1, int(len(batches) * run.settings.epochs))
    progress.emit(
        "start",
        mode=mode,
        model=model_name,
        device="mlx",
        examples=len(rows),
        total=total,
        batch_size=batch_size,
        gradient_accumulation=1,
    )

    model, _ = load(model_name)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    kto = recipe.kto
    beta = kto.beta
    weights = (dataset.card or {}).get("weights", {})
    desirable_weight = float(weights.get("desirable", kto.desirable_weight))
    undesirable_weight = float(weights.get("undesirable", kto.undesirable_weight))

    prepared = []
    reference = []
    # Only the batches the run will reach (a --max-steps trial need not pay for the whole file).
    for batch in batches[: min(len(batches), total)]:
        ids, mask, kl_ids, kl_mask, desirable = prepare_batch(encoded, labels, batch, pad, max_length)
        prepared.append((ids, mask, kl_ids, kl_mask, desirable))
        if mode == "kto":
            # The frozen base is the reference: computed now, before any LoRA layer exists.
            reference.append(
                (
                    mx.stop_gradient(sequence_logps(model, ids, mask)),
                    mx.stop_gradient(sequence_logps(model, kl_ids, kl_mask)),
                )
            )
    if reference:
        mx.eval(reference)

    model.freeze()
    lora = recipe.lora
    keys = [
        f"self_attn.{name}" if name.endswith(("q_proj", "k_proj", "v_proj", "o_proj")) else f"mlp.{name}"
        for name in lora.target_modules
    ]
    lora_config = {"rank": lora.r, "scale": lora.alpha / lora.r, "dropout": lora.dropout, "keys": keys}
    layers = len(model.layers)
    linear_to_lora_layers(model, layers, lora_config)

    def sft_loss(model: Any, ids: Any, mask: Any):
        return -sequence_logps(model, ids, mask).sum() / mx.maximum(mask[:, 1:].sum(), 1.0)

    learning_rate = run.settings.learning_rate
    optimizer = optim.AdamW(learning_rate=learning_rate)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    step = 0
    checkpoints = sorted(out.glob("checkpoint-*"), key=lambda path: int(path.name.split("-")[1])) if resume else []
    if checkpoints:
        model.load_weights(str(checkpoints[-1] / "adapters.safetensors"), strict=False)
        step = json.loads((checkpoints[-1] / "state.json").read_text())["step"]

    def save(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        mx.save_safetensors(str(folder / "adapters.safetensors"), dict(tree_flatten(model.trainable_parameters())))
        config = {"fine_tune_type": "lora", "num_layers": layers, "lora_parameters": lora_config}
        (folder / "adapter_config.json").write_text(json.dumps(config, indent=2) + "\n")
        (folder / "state.json").write_text(json.dumps({"step": step}) + "\n")

    def batch_kto_loss(model: Any, *batch: Any):
        return kto_loss(
            model, *batch, beta=beta, desirable_weight=desirable_weight, undesirable_weight=undesirable_weight
        )

    grad_fn = nn.value_and_grad(model, batch_kto_loss if mode == "kto" else sft_loss)
    started = time.monotonic()
    losses = []
    while step < total:
        index = step % len(prepared)
        ids, mask, kl_ids, kl_mask, desirable = prepared[index]
        tick = time.monotonic()
        if mode == "kto":
            (loss, (kl, ratio, policy)), grads = grad_fn(
                model, ids, mask, kl_ids, kl_mask, desirable, *reference[index]
            )
        else:
            loss, grads = grad_fn(model, ids, mask)
        optimizer.update(model, grads)
        mx.eval(model.trainable_parameters(), optimizer.state, loss)
        step += 1
        losses.append(loss.item())
        metrics: dict[str, Any] = {}
        if mode == "kto":
            chosen, rejected = (
                [float(r) for r, d in zip(ratio.tolist(), desirable.tolist(), strict=True) if d],
                [float(r) for r, d in zip(ratio.tolist(), desirable.tolist(), strict=True) if not d],
            )
            logps = policy.tolist()
            metrics = {"kl": kl.item()}
            if chosen:
                metrics["rewards_chosen"] = beta * sum(chosen) / len(chosen)
                metrics["logps_chosen"] = sum(p for p, d in zip(logps, desirable.tolist(), strict=True) if d) / len(
                    chosen
                )
            if rejected:
                metrics["rewards_rejected"] = beta * sum(rejected) / len(rejected)
                metrics["logps_rejected"] = sum(
                    p for p, d in zip(logps, desirable.tolist(), strict=True) if not d
                ) / len(rejected)
            if chosen and rejected:
                metrics["rewards_margins"] = metrics["rewards_chosen"] - metrics["rewards_rejected"]
        tokens = float(mask.sum().item())
        progress.emit(
            "step",
            step=step,
            total=total,
            loss=loss.item(),
            learning_rate=learning_rate,
            epoch=round(step / len(prepared), 3),
            tokens_per_s=round(tokens / max(time.monotonic() - tick, 1e-9), 1),
            eta_s=progress.eta(step, total),
            memory_mb=round(mx.get_peak_memory() / 2**20, 1),
            **metrics,
        )
        if step % recipe.save_steps == 0:
            save(out / f"checkpoint-{step}")
            progress.emit("checkpoint", step=step, path=str(out / f"checkpoint-{step}"))
            prune_checkpoints(out, recipe.save_total_limit)
    adapter = out / "adapter"
    save(adapter)
    save_tokenizer(tokenizer, model_name, adapter)
    summary = {
        "mode": mode,
        "model": model_name,
        "loader": "mlx",
        "device": "mlx",
        "dataset": str(dataset.path),
        "chat_template_sha256": template_hash(tokenizer),
        "recipe": recipe.as_dict(),
        "steps": step,
        "train_loss": sum(losses) / len(losses) if losses else math.nan,
        "runtime_s": round(time.monotonic() - started, 2),
        "adapter": str(adapter),
    }
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
