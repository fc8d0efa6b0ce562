"""KTO training throughput on one GPU: our trainer against TRL's KTOTrainer, same data and hyperparameters.

    python python/bench/kto_throughput.py [--sizes 0.5b,1.5b,3b] [--variants trl-defaults,trl-tuned,ours]
        [--steps 20] [--batch 32] [--prefix-tokens 0] [--memory-gib N] [--workdir DIR] [--json FILE]

For each size it makes a Qwen2.5-shaped model with random weights (no hub), a byte-level tokenizer and a
KTO dataset in the builder's format (prompts of 150-400 tokens, completions of 50-200, desirable and
undesirable interleaved; with --prefix-tokens, every row's system prompt starts with the same text of
that many tokens, as the tool schemas do in real data), then trains `--steps` optimizer steps of
`--batch` examples with each variant, each in its own process so memory peaks do not mix (7b is
Qwen2.5-7B's shape; --load-in-4bit loads every variant's weights in 4 bits, as QLoRA does):

- "trl-defaults": KTOTrainer on KTOConfig's defaults (micro-batch 8 with gradient accumulation up to
  the batch, gradient checkpointing on, reference log-probs computed live every step);
- "trl-tuned": KTOTrainer as a user who reads TRL's documentation runs it: our micro-batch, no gradient
  checkpointing, reference log-probs precomputed with precompute_ref_batch_size twice the micro-batch;
- "ours": `vault_tuner_train.train.train` with the default recipe and the same micro-batch, checkpointing
  and reference settings: FastKTOTrainer, which on CUDA packs each micro-batch without padding (a shared
  prefix once) and applies the head to completion tokens only.

All share the learning rate, schedule, warm-up, beta, class weights, LoRA (r 32 on every projection),
bf16 and AdamW. Time counts from building the trainer (tokenizing; the reference pass where there is
one) to the end of training; loading the model is left out of all. Beside that end-to-end time each row
gives the training loop's steady pace: step_s, the median time between optimizer steps after the first
five, and the loop's MFU from it (8NT an example, 12NT for trl-defaults, whose reference runs live),
which vary far less between runs on one machine than the end-to-end figures. For ours the JSON also
splits setup into tokenize_s and reference_s (from the trainer's stage events). Model FLOPs per example are
12 * N * T (policy forward and backward 6NT, the KL forward 2NT, two reference forwards 4NT; N counts
every weight matrix including the output head, T the example's tokens), so MFU compares the same work;
with a shared prefix T counts every row whole, so MFU there is the work the rows stand for, not the
work done. --memory-gib caps every run's CUDA memory (torch.cuda.set_per_process_memory_fraction), as a
smaller card would; a run that does not fit is reported as out of memory.

--gpus N runs ours data-parallel through torchrun: each GPU takes the micro-batches one GPU takes alone,
so a step covers N times the examples and the data is N times as long; examples/s over the same
command with --gpus 1 is the scaling, MFU counts N cards' peak, and peak memory is the first GPU's.
The trainer itself fails a run whose processes end with different adapters.

--liger swaps Qwen2's RMSNorm, rotary embedding and SwiGLU for Liger's Triton kernels in ours (needs
liger-kernel): a measured alternative the trainer does not use (docs/benchmarks.md says why).

--peft-lora runs ours with PEFT's own LoRA forward in place of the trainer's fused one (lora_forward.py):
what the fused forward gains.

--compile runs ours with each decoder layer under torch.compile (dynamic shapes), a measured alternative
the trainer does not use: fewer, fused kernels for the host to issue, but at 0.5B the compile (about 85 s
on an H200's host, docs/benchmarks.md) outlasts a whole run. The layers compile at the first training
step, so compiling counts in train s and step s shows the compiled pace.

Where the loop's time goes: --gpu-busy traces the GPU's kernels through each training loop and adds
loop_gpu_busy_pct, the share of the loop's wall time in which a kernel ran (the tracer slows the loop by
about a tenth), and the idle time in gaps of a millisecond or more; far below 100% the host, launching
kernels, sets the pace. --trace writes a Chrome trace (Python calls, operators and kernels) of three
steady steps to WORKDIR/trace-SIZE-VARIANT.json.gz, for chrome://tracing or Perfetto. --optimizer names
transformers' optimizer for every variant (default adamw_torch).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from importlib.metadata import version
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]

SHAPES = {
    # For a quick check of the script itself on a CPU (--sizes tiny --device cpu).
    "tiny": {
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
    },
    # Qwen2.5-0.5B and -1.5B shapes (tied embeddings, grouped-query attention).
    "0.5b": {
        "hidden_size": 896,
        "intermediate_size": 4864,
        "num_hidden_layers": 24,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
    },
    "1.5b": {
        "hidden_size": 1536,
        "intermediate_size": 8960,
        "num_hidden_layers": 28,
        "num_attention_heads": 12,
        "num_key_value_heads": 2,
    },
    "3b": {
        "hidden_size": 2048,
        "intermediate_size": 11008,
        "num_hidden_layers": 36,
        "num_attention_heads": 16,
        "num_key_value_heads": 2,
    },
    # Qwen2.5-7B: the one size whose embeddings are not tied to the head.
    "7b": {
        "hidden_size": 3584,
        "intermediate_size": 18944,
        "num_hidden_layers": 28,
        "num_attention_heads": 28,
        "num_key_value_heads": 4,
        "tie_word_embeddings": False,
    },
}
VOCAB = 151936
# Steps left out of the steady pace (step_s): the first ones load kernels and warm the allocator.
WARM_STEPS = 5
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SHARED = {
    "learning_rate": 5e-6,
    "beta": 0.3,
    "desirable_weight": 1.0,
    "undesirable_weight": 1.0,
    "warmup_ratio": 0.15,
    "scheduler": "cosine",
    "max_grad_norm": 0.5,
    "max_length": 1024,
    "optimizer": "adamw_torch",
}
# The micro-batch per size for ours and tuned TRL: the largest power of two up to the whole batch whose
# activations, without checkpointing, fit an 80 GB card under tuned TRL (measured on an H200: 64 GiB at
# 1.5B with 32 rows, 56 GiB at 3B with 16).
MICRO_BATCH = {"tiny": 32, "0.5b": 32, "1.5b": 32, "3b": 16, "7b": 4}
VARIANTS = ("trl-defaults", "trl-tuned", "ours")
LORA = {
    "r": 32,
    "alpha": 64,
    "dropout": 0.05,
    "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
}


def make_model(folder: Path, size: str, device: str) -> None:
    """A random Qwen2 in bf16 with a byte tokenizer."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    # One token per byte (a byte-level BPE without merges): transformers reloads any tokenizer of a qwen2
    # model as Qwen2Tokenizer, and this one survives that unchanged, so lengths are exactly as written.
    specials = ["<pad>", "<|im_start|>", "<|im_end|>"]
    byte_level = Tokenizer(
        models.BPE(
            vocab={token: index for index, token in enumerate(specials + sorted(pre_tokenizers.ByteLevel.alphabet()))},
            merges=[],
        )
    )
    byte_level.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    byte_level.decoder = decoders.ByteLevel()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=byte_level, pad_token="<pad>", eos_token="<|im_end|>", additional_special_tokens=specials[1:]
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    config = Qwen2Config(
        vocab_size=VOCAB,
        max_position_embeddings=32768,
        pad_token_id=0,
        eos_token_id=2,
        bos_token_id=None,
        **{"tie_word_embeddings": True, **SHAPES[size]},
    )
    torch.manual_seed(0)
    with torch.device(device):
        model = Qwen2ForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def make_dataset(folder: Path, examples: int, prefix_tokens: int) -> None:
    rng = random.Random(0)

    def words(low: int, high: int) -> str:
        """Random lowercase words, `low` to `high` characters (= tokens) long."""
        length = rng.randint(low, high)
        text = ""
        while len(text) < length:
            text += "".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(rng.randint(2, 9))) + " "
        return text[:length].strip() or "a"

    shared = words(prefix_tokens, prefix_tokens) + "\n" if prefix_tokens else ""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for index in range(examples):
        prompt = [
            {"role": "system", "content": shared + words(20, 40)},
            {"role": "user", "content": words(130, 360)},
        ]
        completion = [{"role": "assistant", "content": words(50, 200)}]
        lines.append(
            json.dumps(
                {"prompt": prompt, "completion": completion, "label": index % 2 == 0, "source": f"bench:{index}"}
            )
        )
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "card.json").write_text(
        json.dumps({"name": "bench", "format": "kto", "weights": {"desirable": 1.0, "undesirable": 1.0}})
    )


def run_ours(model: Path, dataset: Path, out: Path, args: argparse.Namespace) -> dict:
    import yaml

    from vault_tuner_train.progress import Progress
    from vault_tuner_train.recipes import load_recipe
    from vault_tuner_train.train import train

    recipe_file = out.parent / f"{out.name}.yaml"
    events = out.parent / f"{out.name}.events.jsonl"
    recipe_file.write_text(
        yaml.safe_dump(
            {
                "base": "default",
                "model": str(model),
                "batch_size": min(args.batch, args.micro),
                # train() splits the accumulation among the processes: ask for gpus times as much, so that
                # each GPU takes the micro-batches one GPU takes alone.
                "gradient_accumulation": max(1, args.batch // args.micro) * args.gpus,
                "gradient_checkpointing": False,
                "precompute_ref_log_probs": True,
                "load_in_4bit": args.load_in_4bit,
                "optimizer": args.optimizer,
                "precision": "bf16",
                "learning_rate": SHARED["learning_rate"],
                "max_length": args.max_length,
                "warmup_ratio": SHARED["warmup_ratio"],
                "scheduler": SHARED["scheduler"],
                "max_grad_norm": SHARED["max_grad_norm"],
                "lora": LORA,
                "save_steps": 10_000,
                "logging_steps": 1,
                "kto": {
                    "beta": SHARED["beta"],
                    "desirable_weight": SHARED["desirable_weight"],
                    "undesirable_weight": SHARED["undesirable_weight"],
                },
            }
        )
    )
    summary = train(
        "kto",
        load_recipe(str(recipe_file)),
        str(dataset),
        str(out),
        args.device,
        args.steps,
        False,
        False,
        Progress(events.open("w")),
    )
    steps = [json.loads(line) for line in events.read_text().splitlines()]
    return {
        "setup_s": summary["setup_s"],
        "train_s": summary["runtime_s"],
        "loss": summary["train_loss"],
        "step_s": steady_step_s([event["time"] for event in steps if event["event"] == "step"]),
        **setup_parts(steps),
    }


def setup_parts(events: list[dict]) -> dict:
    """Setup's parts, from the trainer's stage events: tokenize_s from the first tokenizing chunk to the
    reference pass (or training), reference_s from the reference pass's first batch to training."""
    began = {}
    for event in events:
        if event["event"] == "stage":
            began.setdefault(event["stage"], event["time"])
    parts = {}
    after_tokenizing = began.get("reference pass", began.get("training"))
    if "tokenizing" in began and after_tokenizing is not None:
        parts["tokenize_s"] = round(after_tokenizing - began["tokenizing"], 2)
    if "reference pass" in began and "training" in began:
        parts["reference_s"] = round(began["training"] - began["reference pass"], 2)
    return parts


def steady_step_s(step_times: list[float]) -> float | None:
    """The median time between optimizer steps after the first few (first kernels loaded, caches warm): the
    training loop's pace, far less noisy from one run to the next than the end-to-end time."""
    settled = step_times[WARM_STEPS:]
    gaps = [later - earlier for earlier, later in zip(settled, settled[1:], strict=False)]
    return round(statistics.median(gaps), 4) if gaps else None


def run_trl(model: Path, dataset: Path, out: Path, args: argparse.Namespace, tuned: bool) -> dict:
    import torch
    from datasets import Dataset as HfDataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, TrainerCallback
    from trl import KTOConfig, KTOTrainer

    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.tokenizer_files import load_tokenizer

    tokenizer = load_tokenizer(str(model))
    rows = render(load_dataset(dataset, "kto"), tokenizer, "kto")
    cuda = args.device == "cuda"
    quantized = {}
    if args.load_in_4bit:
        from transformers import BitsAndBytesConfig

        # The same 4-bit loading as our trainer's recipe (train._load_model).
        quantized["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16
        )
    policy = AutoModelForCausalLM.from_pretrained(model, dtype=torch.bfloat16 if cuda else torch.float32, **quantized)
    micro = args.micro if tuned else 8  # 8: KTOConfig's default per_device_train_batch_size
    tuning = (
        {
            "gradient_checkpointing": False,
            "precompute_ref_log_probs": True,
            "precompute_ref_batch_size": 2 * micro,
        }
        if tuned
        else {}
    )
    config = KTOConfig(
        output_dir=str(out),
        per_device_train_batch_size=micro,
        gradient_accumulation_steps=max(1, args.batch // micro),
        max_steps=args.steps,
        learning_rate=SHARED["learning_rate"],
        lr_scheduler_type=SHARED["scheduler"],
        warmup_steps=int(args.steps * SHARED["warmup_ratio"] + 0.999),
        max_grad_norm=SHARED["max_grad_norm"],
        max_length=args.max_length,
        beta=SHARED["beta"],
        desirable_weight=SHARED["desirable_weight"],
        undesirable_weight=SHARED["undesirable_weight"],
        optim=args.optimizer,
        use_cpu=not cuda,
        bf16=cuda,
        report_to=[],
        save_strategy="no",
        logging_steps=1,
        disable_tqdm=True,
        seed=0,
        **tuning,
    )
    lora = LoraConfig(
        r=LORA["r"],
        lora_alpha=LORA["alpha"],
        lora_dropout=LORA["dropout"],
        target_modules=LORA["target_modules"],
        task_type="CAUSAL_LM",
    )
    started = time.monotonic()
    trainer = KTOTrainer(
        model=policy, args=config, train_dataset=HfDataset.from_list(rows), processing_class=tokenizer, peft_config=lora
    )
    setup_s = time.monotonic() - started
    step_times: list[float] = []

    class StepTimes(TrainerCallback):
        # When each step's loss is logged, as our trainer's progress events are (logging_steps=1 in both).
        def on_log(self, args, state, control, logs=None, **kwargs):
            if "loss" in (logs or {}):
                step_times.append(time.monotonic())

    trainer.add_callback(StepTimes())
    started = time.monotonic()
    result = trainer.train()
    return {
        "setup_s": round(setup_s, 2),
        "train_s": round(time.monotonic() - started, 2),
        "loss": result.training_loss,
        "step_s": steady_step_s(step_times),
    }


def child(args: argparse.Namespace) -> None:
    """One measured run, in its own process; prints one JSON line."""
    import resource

    import torch

    cuda = args.device == "cuda"
    if cuda:
        if args.memory_gib:
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(min(1.0, args.memory_gib * 2**30 / total))
        torch.cuda.reset_peak_memory_stats()
    paths = (Path(args.model), Path(args.dataset), Path(args.out))
    profiler = profiled(args.profile_to) if args.profile_to else nullcontext()
    busy: dict[str, float] = {}
    watched = loop_gpu_busy(busy) if args.gpu_busy else traced_steps(args.trace_to) if args.trace_to else nullcontext()
    try:
        with profiler, watched:
            if args.liger and args.child == "ours":
                from liger_kernel.transformers import apply_liger_kernel_to_qwen2

                # Class-level swaps, before the model loads; the head stays ours (no fused cross-entropy).
                apply_liger_kernel_to_qwen2(
                    rope=True, rms_norm=True, swiglu=True, cross_entropy=False, fused_linear_cross_entropy=False
                )
            if args.child == "ours" and (args.peft_lora or args.compile):
                from unittest import mock

                with mock.patch("vault_tuner_train.fast_kto.fuse_lora_updates", model_setup(args)):
                    result = run_ours(*paths, args)
            elif args.child == "ours":
                result = run_ours(*paths, args)
            else:
                result = run_trl(*paths, args, tuned=args.child == "trl-tuned")
    except torch.OutOfMemoryError:
        result = {"oom": True}
    result |= busy
    result["peak_gib"] = round(
        (torch.cuda.max_memory_allocated() if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        / 2**30,
        2,
    )
    if os.environ.get("RANK", "0") == "0":  # with several GPUs, the first process reports (its own peak)
        print("RESULT " + json.dumps(result), flush=True)


def model_setup(args: argparse.Namespace):
    """The trainer's last step on its model (fuse_lora_updates), as --peft-lora and --compile change it."""
    from vault_tuner_train.fast_kto import fuse_lora_updates

    def setup(model) -> int:
        fused = 0 if args.peft_lora else fuse_lora_updates(model)
        if args.compile:
            # Each decoder layer on its own: one compiled graph serves every layer, and the packed length,
            # which changes with every micro-batch, is a dynamic dimension rather than a recompile.
            for layer in model.get_base_model().get_decoder().layers:
                layer.compile(dynamic=True)
        return fused

    return setup


@contextmanager
def profiled(report: str):
    """The whole run under PyTorch's profiler and Python's: writes where the GPU's time went, how long its
    kernels ran against the run's wall time, where the host's time went, and which Python calls it went
    to, to `report`."""
    import cProfile
    import io
    import pstats

    from torch.profiler import ProfilerActivity, profile

    calls = cProfile.Profile()
    started = time.monotonic()
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as profiler:
        calls.enable()
        yield
        calls.disable()
    wall = time.monotonic() - started
    events = profiler.key_averages()
    # Kernels only: a PyTorch operator's device time is its kernels' again.
    kernels = sum(event.self_device_time_total for event in events if not event.key.startswith("aten::")) / 1e6
    python = io.StringIO()
    pstats.Stats(calls, stream=python).sort_stats("cumulative").print_stats(70)
    with open(report, "w") as out:
        # Over the whole run, setup included and slowed by the profilers: --gpu-busy gives the loop's share.
        out.write(f"wall {wall:.2f} s (profiled), kernels {kernels:.2f} s of it ({100 * kernels / wall:.0f}%)\n\n")
        out.write(events.table(sort_by="self_device_time_total", row_limit=30, max_name_column_width=90))
        out.write("\n")
        out.write(events.table(sort_by="self_cpu_time_total", row_limit=30, max_name_column_width=90))
        out.write("\n" + python.getvalue())


@contextmanager
def loop_gpu_busy(into: dict):
    """Times the training loop (Trainer.train) with the GPU's kernels traced, and puts in `into` the share
    of the loop's wall time in which some kernel ran, and the idle time in gaps of a millisecond or more.
    Below about 90% the host, not the GPU, sets the pace. Only the kernels are traced (no host-side
    operator records), which keeps the tracer's own cost on the host small."""
    from unittest import mock

    import torch
    from torch.autograd import DeviceType
    from torch.profiler import ProfilerActivity, profile
    from transformers import Trainer

    untraced = Trainer.train

    def traced(self, *args, **kwargs):
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CUDA]) as tracer:
            started = time.monotonic()
            result = untraced(self, *args, **kwargs)
            torch.cuda.synchronize()
            wall = time.monotonic() - started
        spans = sorted(
            (event.time_range.start, event.time_range.end)
            for event in tracer.events()
            # Kernels, copies and fills: not the ranges that annotate them.
            if event.device_type == DeviceType.CUDA
            and not event.is_user_annotation
            and event.time_range.end > event.time_range.start
        )
        busy_us = idle_gaps_us = 0.0
        reach = spans[0][0] if spans else 0.0
        for start, end in spans:
            if start > reach and start - reach >= 1000:
                idle_gaps_us += start - reach
            busy_us += max(0.0, end - max(start, reach))
            reach = max(reach, end)
        into["loop_gpu_busy_pct"] = round(100 * busy_us / 1e6 / wall, 1)
        into["loop_idle_in_gaps_over_1ms_s"] = round(idle_gaps_us / 1e6, 2)
        return result

    with mock.patch.object(Trainer, "train", traced):
        yield


@contextmanager
def traced_steps(path: str, skip: int = WARM_STEPS + 3, steps: int = 3):
    """Writes a Chrome trace (gzipped) of `steps` optimizer steps after the first `skip`: the host's Python
    calls and operators beside the GPU's kernels, to see what the host does while the GPU waits."""
    from unittest import mock

    from torch.profiler import ProfilerActivity, profile, schedule
    from transformers import Trainer, TrainerCallback

    tracer = profile(
        activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA],
        schedule=schedule(wait=skip, warmup=1, active=steps, repeat=1),
        with_stack=True,
        on_trace_ready=lambda done: done.export_chrome_trace(path),
    )

    class Stepper(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            tracer.step()

    untraced = Trainer.train

    def train(self, *args, **kwargs):
        self.add_callback(Stepper())
        with tracer:
            return untraced(self, *args, **kwargs)

    with mock.patch.object(Trainer, "train", train):
        yield


def peak_tflops(name: str) -> float:
    """Dense bf16 peak of the card (datasheet figures, without sparsity)."""
    if "H100" in name or "H200" in name or "H800" in name:
        return 756.0 if "PCIe" in name else 989.0
    if "A100" in name:
        return 312.0
    return float("nan")


def measure(size: str, work: Path, args: argparse.Namespace) -> list[dict]:
    import torch

    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.tokenizer_files import load_tokenizer

    examples = args.steps * args.batch * args.gpus
    model_dir, data_dir = work / f"model-{size}", work / f"data-{args.prefix_tokens}-{examples}"
    if not (model_dir / "config.json").is_file():
        make_model(model_dir, size, args.device)
    parameters = model_parameters(model_dir)
    make_dataset(data_dir, examples, args.prefix_tokens)
    tokenizer = load_tokenizer(str(model_dir))
    rows = render(load_dataset(data_dir, "kto"), tokenizer, "kto")
    tokens = sum(len(tokenizer(row["prompt"] + row["completion"]).input_ids) for row in rows)
    card = torch.cuda.get_device_name() if args.device == "cuda" else "CPU"
    trl_version = version("trl")
    kernels = "liger" if args.liger else "peft-lora" if args.peft_lora else "transformers"
    kernels += "+compiled" if args.compile else ""
    results = []
    for name in args.variants.split(","):
        several = name == "ours" and args.gpus > 1
        launcher = ["-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(args.gpus)]
        command = [
            sys.executable,
            *(launcher if several else []),
            __file__,
            "--child",
            name,
            "--model",
            str(model_dir),
            "--dataset",
            str(data_dir),
            "--out",
            str(work / f"run-{size}-{name}-{args.prefix_tokens}-{args.memory_gib}"),
            "--steps",
            str(args.steps),
            "--batch",
            str(args.batch),
            "--device",
            args.device,
            "--micro",
            str(MICRO_BATCH[size] if args.micro is None else args.micro),
            "--max-length",
            str(SHARED["max_length"] + args.prefix_tokens),
            "--memory-gib",
            str(args.memory_gib),
            "--gpus",
            str(args.gpus if several else 1),
            *(["--load-in-4bit"] if args.load_in_4bit else []),
            *(["--liger"] if args.liger else []),
            *(["--peft-lora"] if args.peft_lora else []),
            *(["--compile"] if args.compile else []),
            *(["--profile-to", str(work / f"profile-{size}-{name}.txt")] if args.profile else []),
            *(["--gpu-busy"] if args.gpu_busy else []),
            *(["--trace-to", str(work / f"trace-{size}-{name}.json.gz")] if args.trace else []),
            "--optimizer",
            args.optimizer,
        ]
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            print(done.stdout[-3000:], done.stderr[-6000:], file=sys.stderr)
            raise SystemExit(f"{name} on {size} failed (exit {done.returncode})")
        result = json.loads(line[len("RESULT ") :])
        row = {
            "size": size,
            "trainer": name,
            "device": card,
            "trl": trl_version,
            "prefix_tokens": args.prefix_tokens,
            "gpus": args.gpus if name == "ours" else 1,
            "memory_gib": args.memory_gib or None,
            "weights": "4-bit" if args.load_in_4bit else "bf16",
            "kernels": kernels if name == "ours" else "transformers",
            "examples": len(rows),
            "tokens": tokens,
            "params": parameters,
            "peak_gib": result["peak_gib"],
        }
        if result.get("oom"):
            row["oom"] = True
        else:
            seconds = result["setup_s"] + result["train_s"]
            row |= {
                "examples_per_s": round(len(rows) / seconds, 2),
                "tokens_per_s": round(tokens / seconds),
                "seconds": round(seconds, 2),
                "setup_s": result["setup_s"],
                "train_s": result["train_s"],
                "mfu_pct": round(
                    100 * 12 * parameters * tokens / seconds / (peak_tflops(card) * 1e12 * row["gpus"]), 1
                ),
                "loss": round(result["loss"], 5),
            }
            row |= {
                key: result[key]
                for key in ("tokenize_s", "reference_s", "loop_gpu_busy_pct", "loop_idle_in_gaps_over_1ms_s")
                if key in result
            }
            if result.get("step_s"):
                # The training loop at its steady pace: 8NT an example (policy forward and backward, the KL
                # forward), 12NT where the reference runs live every step (trl-defaults).
                per_example = (12 if name == "trl-defaults" else 8) * parameters * tokens / len(rows)
                loop = args.batch * row["gpus"] / result["step_s"]
                row |= {
                    "step_s": result["step_s"],
                    "loop_examples_per_s": round(loop, 2),
                    "loop_mfu_pct": round(100 * per_example * loop / (peak_tflops(card) * 1e12 * row["gpus"]), 1),
                }
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def model_parameters(folder: Path) -> int:
    """N: every weight matrix that multiplies: the input embedding is a lookup, so it counts only where it
    is tied to the output head (as the head)."""
    from safetensors import safe_open

    with safe_open(str(folder / "model.safetensors"), "pt") as weights:
        names = list(weights.keys())
        untied = "lm_head.weight" in names
        total = 0
        for name in names:
            shape = weights.get_slice(name).get_shape()
            if len(shape) == 2 and not (untied and name.endswith("embed_tokens.weight")):
                total += shape[0] * shape[1]
        return total


def print_table(rows: list[dict]) -> None:
    print(
        "| model | trainer | GPUs | prefix | cap GiB | examples/s | tokens/s | peak GiB | MFU % | setup s | train s"
        " | step s | loop MFU % | loop GPU busy % | mean loss |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        trainer = row["trainer"] + (" (4-bit)" if row["weights"] == "4-bit" else "")
        kernels = row.get("kernels", "").removesuffix("+compiled")
        trainer += {"liger": " (Liger)", "peft-lora": " (PEFT's LoRA forward)"}.get(kernels, "")
        trainer += " (compiled layers)" if row.get("kernels", "").endswith("+compiled") else ""
        cells = [row["size"], trainer, row["gpus"], row["prefix_tokens"] or "-", row["memory_gib"] or "-"]
        if row.get("oom"):
            cells += ["out of memory", "", row["peak_gib"], "", "", "", "", "", "", ""]
        else:
            cells += [row["examples_per_s"], f"{row['tokens_per_s']:,}", row["peak_gib"], row["mfu_pct"]]
            cells += [row["setup_s"], row["train_s"], row.get("step_s", "-"), row.get("loop_mfu_pct", "-")]
            cells += [row.get("loop_gpu_busy_pct", "-"), row["loss"]]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")
    for size in dict.fromkeys(row["size"] for row in rows):
        measured = {row["trainer"]: row for row in rows if row["size"] == size and not row.get("oom")}
        ours = measured.get("ours")
        for other in ("trl-tuned", "trl-defaults"):
            if ours and other in measured:
                ratio = ours["examples_per_s"] / measured[other]["examples_per_s"]
                print(f"{size}: ours {ratio:.2f}x the examples/s of {other}")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--sizes", default="0.5b,1.5b")
    arguments.add_argument("--variants", default=",".join(VARIANTS))
    arguments.add_argument("--steps", type=int, default=20)
    arguments.add_argument("--batch", type=int, default=32, help="examples per optimizer step (the effective batch)")
    arguments.add_argument("--micro", type=int, help="micro-batch for ours and trl-tuned (default: per size)")
    arguments.add_argument("--prefix-tokens", type=int, default=0, help="a common system-prompt prefix in every row")
    arguments.add_argument("--memory-gib", type=float, default=0, help="cap each run's CUDA memory (0: no cap)")
    arguments.add_argument(
        "--load-in-4bit",
        action="store_true",
        help="load the weights in 4 bits (QLoRA, needs bitsandbytes) in every run",
    )
    arguments.add_argument(
        "--gpus",
        type=int,
        default=1,
        help="run ours data-parallel on this many GPUs (torchrun), each with --batch examples a step; TRL runs on one",
    )
    arguments.add_argument(
        "--liger", action="store_true", help="ours with Liger's RMSNorm, RoPE and SwiGLU kernels (needs liger-kernel)"
    )
    arguments.add_argument(
        "--peft-lora", action="store_true", help="ours with PEFT's own LoRA forward (what the fused one gains)"
    )
    arguments.add_argument(
        "--compile",
        action="store_true",
        help="ours with each decoder layer under torch.compile (dynamic shapes); compiling counts in train s",
    )
    arguments.add_argument(
        "--profile",
        action="store_true",
        help="run each variant under PyTorch's profiler (slower): WORKDIR/profile-SIZE-VARIANT.txt",
    )
    arguments.add_argument(
        "--gpu-busy",
        action="store_true",
        help="trace the GPU's kernels in the training loop: the share of it the GPU was busy (loop_gpu_busy_pct)",
    )
    arguments.add_argument(
        "--trace",
        action="store_true",
        help="write a Chrome trace of three steady training steps: WORKDIR/trace-SIZE-VARIANT.json.gz",
    )
    arguments.add_argument(
        "--optimizer", default=SHARED["optimizer"], help="transformers' optim name, the same for every variant"
    )
    arguments.add_argument("--workdir", default="/tmp/kto-throughput")
    arguments.add_argument("--json", help="also write the rows to this file")
    arguments.add_argument(
        "--device", choices=["cuda", "cpu"], default="cuda", help="cpu only checks the script (with --sizes tiny)"
    )
    arguments.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    arguments.add_argument("--model", help=argparse.SUPPRESS)
    arguments.add_argument("--dataset", help=argparse.SUPPRESS)
    arguments.add_argument("--out", help=argparse.SUPPRESS)
    arguments.add_argument("--profile-to", help=argparse.SUPPRESS)
    arguments.add_argument("--trace-to", help=argparse.SUPPRESS)
    arguments.add_argument("--max-length", type=int, help=argparse.SUPPRESS)
    given = arguments.parse_args()
    if given.child:
        child(given)
        return
    if given.gpus > 1 and given.variants != "ours":
        # Each GPU takes --batch examples a step, so the run covers gpus times the examples: compare it
        # with a run of ours on one GPU (--gpus 1), not with TRL's on the same command.
        raise SystemExit("--gpus above 1 measures ours alone: give --variants ours")
    work = Path(given.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows = [result for size in given.sizes.split(",") for result in measure(size, work, given)]
    if given.json:
        Path(given.json).write_text(json.dumps(rows, indent=2) + "\n")
    print(f"\n{rows[0]['device']}, TRL {rows[0]['trl']}, {given.steps} steps of {given.batch} examples a GPU\n")
    print_table(rows)


if __name__ == "__main__":
    main()
