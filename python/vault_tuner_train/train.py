"""KTO and SFT training with TRL and PEFT LoRA (Unsloth's loader when it is installed on CUDA).

KTO runs through FastKTOTrainer (fast_kto.py): TRL's loss with the head applied to completion tokens only,
and on CUDA each micro-batch packed without padding, a prefix its rows share held once."""

from __future__ import annotations

import hashlib
import json
import math
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .data_parallel import is_main_process, process_count, shared_accumulation, weight_spread
from .errors import TrainError
from .progress import Progress
from .recipes import Recipe
from .run_inputs import prepare_run, warn_of_long_rows
from .tokenizer_files import save_tokenizer, template_hash

KTO_METRICS = (
    "kl",
    "logps/chosen",
    "logps/rejected",
    "rewards/chosen",
    "rewards/rejected",
    "rewards/margins",
    "logits/chosen",
    "logits/rejected",
    "entropy",
)


def pick_device(requested: str) -> str:
    import torch

    if requested == "cuda" and not torch.cuda.is_available():
        raise TrainError(
            "--device cuda was asked for but CUDA is not available",
            "install the NVIDIA driver and a CUDA build of torch, or run with --device cpu",
            "cuda-missing",
        )
    if requested != "auto":
        return requested
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def _memory_mb(device: str) -> float:
    if device == "cuda":
        import torch

        return round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def last_checkpoint(output: Path) -> Path | None:
    """The newest complete checkpoint: by step number (checkpoint-10 comes after checkpoint-9), and only
    one whose trainer_state.json, written last, is there; a save cut off by a crash is passed over."""
    complete = [
        folder
        for folder in output.glob("checkpoint-*")
        if folder.name.split("-")[-1].isdigit() and (folder / "trainer_state.json").is_file()
    ]
    return max(complete, key=lambda folder: int(folder.name.split("-")[-1]), default=None)


def prune_checkpoints(output: Path, keep: int) -> None:
    """Deletes all but the newest `keep` checkpoints by step number, as the torch trainer's save_total_limit does."""
    numbered = sorted(
        (folder for folder in output.glob("checkpoint-*") if folder.name.split("-")[-1].isdigit()),
        key=lambda folder: int(folder.name.split("-")[-1]),
    )
    for folder in numbered[: max(0, len(numbered) - keep)]:
        shutil.rmtree(folder, ignore_errors=True)


def _load_model(recipe: Recipe, model_name: str, device: str):
    import torch

    dtype = (
        {"bf16": torch.bfloat16, "fp16": torch.float16}.get(recipe.precision, torch.float32)
        if device == "cuda"
        else torch.float32
    )
    if device == "cuda":
        try:
            from unsloth import FastLanguageModel  # type: ignore

            model, _ = FastLanguageModel.from_pretrained(
                model_name, max_seq_length=recipe.max_length, dtype=dtype, load_in_4bit=recipe.load_in_4bit
            )
            return model, "unsloth"
        except ImportError:
            pass
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": dtype}
    if device == "cuda" and recipe.load_in_4bit:
        try:
            import bitsandbytes  # noqa: F401  (presence check: QLoRA only where it is installed)
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=dtype
            )
        except ImportError:
            pass
    model = AutoModelForCausalLM.from_pretrained(model_name, **kwargs)
    return model, "transformers"


def _optimizer(name: str, device: str) -> str:
    """The recipe's optimizer; 8-bit ones need CUDA and bitsandbytes, and plain AdamW stands in otherwise."""
    if "8bit" not in name:
        return name
    if device == "cuda":
        try:
            import bitsandbytes  # noqa: F401

            return name
        except ImportError:
            pass
    print(f"optimizer {name} needs CUDA and bitsandbytes; using adamw_torch", file=sys.stderr)
    return "adamw_torch"


def _progress_callback(progress: Progress, device: str, total_ref: dict[str, int]):
    from transformers import TrainerCallback

    class ProgressCallback(TrainerCallback):
        def __init__(self) -> None:
            self.last_time = time.monotonic()
            self.last_tokens = 0.0

        def on_log(self, args, state, control, logs=None, **kwargs):
            logs = logs or {}
            if "loss" not in logs:
                return
            now = time.monotonic()
            tokens = float(logs.get("num_tokens", 0.0))
            speed = (tokens - self.last_tokens) / max(now - self.last_time, 1e-9) if tokens else None
            self.last_time, self.last_tokens = now, tokens
            total = state.max_steps or total_ref["total"]
            metrics = {key.replace("/", "_"): logs[key] for key in KTO_METRICS if key in logs}
            progress.emit(
                "step",
                step=state.global_step,
                total=total,
                loss=logs.get("loss"),
                learning_rate=logs.get("learning_rate"),
                grad_norm=logs.get("grad_norm"),
                epoch=logs.get("epoch"),
                tokens_per_s=round(speed, 1) if speed else None,
                eta_s=progress.eta(state.global_step, total),
                memory_mb=_memory_mb(device),
                **metrics,
            )

        def on_save(self, args, state, control, **kwargs):
            progress.emit(
                "checkpoint",
                step=state.global_step,
                path=str(Path(args.output_dir) / f"checkpoint-{state.global_step}"),
            )

    return ProgressCallback()


def planned_steps(rows: int, batch_size: int, accumulation: int, epochs: float) -> int:
    """The optimizer steps transformers' Trainer takes over `epochs`: the last, short micro-batch of an epoch
    still counts, and so does a last step with fewer micro-batches than the accumulation."""
    micro_batches = math.ceil(rows / batch_size)
    return math.ceil(epochs * max(1, math.ceil(micro_batches / accumulation)))


def step_budget(asked: int | None, recipe: Recipe) -> int | None:
    """The steps to train: what the command line asked for, else the recipe's budget, else None (whole epochs)."""
    return asked or recipe.max_steps


def train(
    mode: str,
    recipe: Recipe,
    dataset_path: str,
    output: str,
    device: str,
    max_steps: int | None,
    resume: bool,
    wandb: bool,
    progress: Progress,
) -> dict[str, Any]:
    """Trains a LoRA adapter and saves it with the tokenizer and what it was made from."""
    run = prepare_run(mode, recipe, dataset_path)
    warn_of_long_rows(run, recipe.max_length, "at the end, the completion first (TRL's truncation)")
    max_steps = step_budget(max_steps, recipe)
    device = pick_device(device)
    model_name, dataset, tokenizer, rows, settings = run.model_name, run.dataset, run.tokenizer, run.rows, run.settings
    processes = process_count()
    batch_size, epochs = settings.batch_size, settings.epochs
    accumulation = shared_accumulation(settings.gradient_accumulation, processes)
    total = max_steps or planned_steps(len(rows), batch_size * processes, accumulation, epochs)
    progress.emit(
        "start",
        mode=mode,
        model=model_name,
        device=device,
        examples=len(rows),
        total=total,
        batch_size=batch_size,
        gradient_accumulation=accumulation,
        processes=processes,
    )

    from datasets import Dataset as HfDataset
    from peft import LoraConfig

    # A stage of no count (total 0): loading takes from seconds to minutes, and says nothing as it goes.
    progress.emit("stage", stage="loading the model", index=0, total=0)
    model, loader = _load_model(recipe, model_name, device)
    lora = recipe.lora
    peft_config = LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=list(lora.target_modules),
        task_type="CAUSAL_LM",
    )
    common: dict[str, Any] = {
        "output_dir": output,
        "per_device_train_batch_size": batch_size,
        "gradient_accumulation_steps": accumulation,
        "learning_rate": settings.learning_rate,
        "lr_scheduler_type": recipe.scheduler,
        "warmup_steps": math.ceil(total * recipe.warmup_ratio),
        "max_grad_norm": recipe.max_grad_norm,
        "num_train_epochs": float(epochs),
        "max_steps": max_steps or -1,
        "logging_steps": recipe.logging_steps,
        "save_steps": recipe.save_steps,
        "save_total_limit": recipe.save_total_limit,
        "save_strategy": "steps",
        "report_to": ["wandb"] if wandb else [],
        "use_cpu": device == "cpu",
        "bf16": device == "cuda" and recipe.precision == "bf16",
        "fp16": device == "cuda" and recipe.precision == "fp16",
        "optim": _optimizer(recipe.optimizer, device),
        "gradient_checkpointing": recipe.gradient_checkpointing,
        "max_length": recipe.max_length,
        "disable_tqdm": True,
        "seed": 0,
    }
    train_data = HfDataset.from_list(rows)
    # TRL's import takes seconds: it comes before the clock that times the trainer's setup.
    if mode == "kto":
        from trl import KTOConfig

        from .fast_kto import FastKTOTrainer, packing_available
    else:
        from trl import SFTConfig, SFTTrainer
    setup_started = time.monotonic()
    if mode == "kto":
        weights = (dataset.card or {}).get("weights", {})
        kto = recipe.kto
        config = KTOConfig(
            **common,
            beta=kto.beta,
            desirable_weight=weights.get("desirable", kto.desirable_weight),
            undesirable_weight=weights.get("undesirable", kto.undesirable_weight),
            precompute_ref_log_probs=recipe.precompute_ref_log_probs,
            # The reference pass keeps no activations for a backward pass: twice the training micro-batch fits.
            precompute_ref_batch_size=2 * batch_size,
        )
        # Packed batches need FlashAttention's variable-length kernel: CUDA's, on recent GPUs, in 16 bits.
        unpacked = (
            "no CUDA device"
            if device != "cuda"
            else "Unsloth's loader replaces the attention"
            if loader == "unsloth"
            else packing_available(model, model.dtype)
        )
        if device == "cuda" and unpacked:
            print(f"packed batches are not available here ({unpacked}); training on padded batches", file=sys.stderr)
        trainer = FastKTOTrainer(
            packed=unpacked is None,
            stages=progress.counted,
            model=model,
            args=config,
            train_dataset=train_data,
            processing_class=tokenizer,
            peft_config=peft_config,
        )
    else:
        config = SFTConfig(**common, completion_only_loss=True)
        trainer = SFTTrainer(
            model=model, args=config, train_dataset=train_data, processing_class=tokenizer, peft_config=peft_config
        )
    # Tokenizing and, with precompute_ref_log_probs, the reference pass happen while the trainer is built.
    setup_s = round(time.monotonic() - setup_started, 2)
    trainer.add_callback(_progress_callback(progress, device, {"total": total}))
    # Until the first step's event (a first step can take long: kernels load, the optimizer's state forms),
    # and the end of the stages before it.
    progress.emit("stage", stage="training", index=0, total=0)
    checkpoint = last_checkpoint(Path(output)) if resume else None
    started = time.monotonic()
    result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    if processes > 1:
        spread = weight_spread(trainer.model, trainer.accelerator)
        if spread > 1e-6:
            raise TrainError(
                f"the {processes} training processes ended with different adapters (relative spread {spread:.2e}):"
                " their gradients were not averaged",
                "train on one GPU (CUDA_VISIBLE_DEVICES=0) and report this with the trainer's log",
                "processes-diverged",
            )
    adapter = Path(output) / "adapter"
    trainer.save_model(str(adapter))
    summary = {
        "mode": mode,
        "model": model_name,
        "loader": loader,
        "device": device,
        "dataset": str(dataset.path),
        "dataset_sha256": hashlib.sha256(dataset.path.read_bytes()).hexdigest(),
        "chat_template_sha256": template_hash(tokenizer),
        "recipe": recipe.as_dict(),
        "steps": trainer.state.global_step,
        "train_loss": result.training_loss,
        "setup_s": setup_s,
        "runtime_s": round(time.monotonic() - started, 2),
        "adapter": str(adapter),
        # Data-parallel processes (one per GPU); their adapters were checked identical above.
        "processes": processes,
    }
    if is_main_process():
        save_tokenizer(tokenizer, model_name, adapter)
        (Path(output) / "training.json").write_text(json.dumps(summary, indent=2) + "\n")
    if processes > 1:
        # The processes leave together and close their process group: one that exits while another still
        # writes can abort on its way out ("terminate called without an active exception", from gloo).
        trainer.accelerator.wait_for_everyone()
        trainer.accelerator.end_training()
    return summary
