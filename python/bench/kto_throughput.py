"""KTO training throughput on one GPU: our trainer against plain TRL defaults, same data and hyperparameters.

    python python/bench/kto_throughput.py [--sizes 0.5b,1.5b] [--steps 20] [--batch 32] [--workdir DIR]

For each size it makes a Qwen2-shaped model with random weights (no hub), a byte-level tokenizer and a
KTO dataset in the builder's format (prompts of 150-400 tokens, completions of 50-200, about 400 in
all, desirable and undesirable interleaved), then trains `--steps` optimizer steps of `--batch` examples twice, each in
its own process so memory peaks do not mix:

- "TRL defaults": KTOTrainer with KTOConfig's defaults (micro-batch 8 with gradient accumulation up to
  the batch, gradient checkpointing on, reference log-probs computed live every step);
- "ours": `vault_tuner_train.train.train` with the default recipe and these settings: micro-batches as
  large as fit without checkpointing (the whole batch of 32 at 0.5B, 16 at 1.5B), no gradient checkpointing, reference log-probs precomputed in one pass, and
  FastKTOTrainer's head-on-completions-only loss.

Both share the learning rate, schedule, warm-up, beta, class weights, LoRA (r 32 on every projection),
bf16 and AdamW. Time counts from building the trainer (tokenizing; the reference pass where there is
one) to the end of training; loading the model is left out of both. Model FLOPs per example are
12 * N * T (policy forward and backward 6NT, the KL forward 2NT, two reference forwards 4NT; N counts
every weight matrix including the output head, T the example's tokens), so MFU compares the same work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
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
}
VOCAB = 151936
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
}
# Our micro-batch per size: the whole batch where activations fit an 80 GB card without checkpointing.
OUR_MICRO_BATCH = {"tiny": 32, "0.5b": 32, "1.5b": 16}
LORA = {
    "r": 32,
    "alpha": 64,
    "dropout": 0.05,
    "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
}


def make_model(folder: Path, size: str, device: str) -> int:
    """A random Qwen2 in bf16 with a byte tokenizer; returns the weight-matrix parameter count N."""
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
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        pad_token_id=0,
        eos_token_id=2,
        bos_token_id=None,
        **SHAPES[size],
    )
    torch.manual_seed(0)
    with torch.device(device):
        model = Qwen2ForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    matrices = sum(p.numel() for name, p in model.named_parameters() if p.dim() == 2)
    # The tied embedding is one tensor used twice: as a lookup (no FLOPs) and as the output head (counted).
    return matrices


def make_dataset(folder: Path, examples: int) -> None:
    rng = random.Random(0)
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for index in range(examples):

        def words(low: int, high: int) -> str:
            """Random lowercase words, `low` to `high` characters (= tokens) long."""
            length = rng.randint(low, high)
            text = ""
            while len(text) < length:
                text += "".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(rng.randint(2, 9))) + " "
            return text[:length].strip() or "a"

        prompt = [{"role": "system", "content": words(20, 40)}, {"role": "user", "content": words(130, 360)}]
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


def run_ours(model: Path, dataset: Path, out: Path, steps: int, batch: int, device: str, micro: int) -> dict:
    import yaml

    from vault_tuner_train.progress import Progress
    from vault_tuner_train.recipes import load_recipe
    from vault_tuner_train.train import train

    recipe_file = out.parent / "ours.yaml"
    recipe_file.write_text(
        yaml.safe_dump(
            {
                "base": "default",
                "model": str(model),
                "batch_size": min(batch, micro),
                "gradient_accumulation": max(1, batch // micro),
                "gradient_checkpointing": False,
                "precompute_ref_log_probs": True,
                "load_in_4bit": False,
                "optimizer": "adamw_torch",
                "precision": "bf16",
                "learning_rate": SHARED["learning_rate"],
                "max_length": SHARED["max_length"],
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
        device,
        steps,
        False,
        False,
        Progress(open(os.devnull, "w")),
    )
    return {"setup_s": summary["setup_s"], "train_s": summary["runtime_s"], "loss": summary["train_loss"]}


def run_trl_defaults(model: Path, dataset: Path, out: Path, steps: int, batch: int, device: str) -> dict:
    import torch
    from datasets import Dataset as HfDataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM
    from trl import KTOConfig, KTOTrainer

    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.tokenizer_files import load_tokenizer

    tokenizer = load_tokenizer(str(model))
    rows = render(load_dataset(dataset, "kto"), tokenizer, "kto")
    policy = AutoModelForCausalLM.from_pretrained(model, dtype=torch.bfloat16 if device == "cuda" else torch.float32)
    micro = 8  # KTOConfig's default per_device_train_batch_size
    config = KTOConfig(
        output_dir=str(out),
        per_device_train_batch_size=micro,
        gradient_accumulation_steps=max(1, batch // micro),
        max_steps=steps,
        learning_rate=SHARED["learning_rate"],
        lr_scheduler_type=SHARED["scheduler"],
        warmup_steps=int(steps * SHARED["warmup_ratio"] + 0.999),
        max_grad_norm=SHARED["max_grad_norm"],
        max_length=SHARED["max_length"],
        beta=SHARED["beta"],
        desirable_weight=SHARED["desirable_weight"],
        undesirable_weight=SHARED["undesirable_weight"],
        optim="adamw_torch",
        use_cpu=device == "cpu",
        bf16=device == "cuda",
        report_to=[],
        save_strategy="no",
        logging_steps=1,
        disable_tqdm=True,
        seed=0,
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
    started = time.monotonic()
    result = trainer.train()
    return {"setup_s": round(setup_s, 2), "train_s": round(time.monotonic() - started, 2), "loss": result.training_loss}


def child(args: argparse.Namespace) -> None:
    """One measured run, in its own process; prints one JSON line."""
    import resource

    import torch

    cuda = args.device == "cuda"
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    paths = (Path(args.model), Path(args.dataset), Path(args.out))
    result = (
        run_ours(*paths, args.steps, args.batch, args.device, args.micro)
        if args.child == "ours"
        else run_trl_defaults(*paths, args.steps, args.batch, args.device)
    )
    result["peak_gib"] = round(
        (torch.cuda.max_memory_allocated() if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        / 2**30,
        2,
    )
    print("RESULT " + json.dumps(result), flush=True)


def peak_tflops(name: str) -> float:
    """Dense bf16 peak of the card (datasheet figures, without sparsity)."""
    if "H100" in name or "H200" in name or "H800" in name:
        return 756.0 if "PCIe" in name else 989.0
    if "A100" in name:
        return 312.0
    return float("nan")


def measure(size: str, work: Path, steps: int, batch: int, device: str) -> list[dict]:
    import torch

    from vault_tuner_train.data import load_dataset, render
    from vault_tuner_train.tokenizer_files import load_tokenizer

    model_dir, data_dir = work / f"model-{size}", work / f"data-{size}"
    parameters = make_model(model_dir, size, device)
    make_dataset(data_dir, steps * batch)
    tokenizer = load_tokenizer(str(model_dir))
    rows = render(load_dataset(data_dir, "kto"), tokenizer, "kto")
    tokens = sum(len(tokenizer(row["prompt"] + row["completion"]).input_ids) for row in rows)
    card = torch.cuda.get_device_name() if device == "cuda" else "CPU"
    results = []
    for name in ("trl-defaults", "ours"):
        command = [
            sys.executable,
            __file__,
            "--child",
            "ours" if name == "ours" else "trl",
            "--model",
            str(model_dir),
            "--dataset",
            str(data_dir),
            "--out",
            str(work / f"run-{size}-{name}"),
            "--steps",
            str(steps),
            "--batch",
            str(batch),
            "--device",
            device,
            "--micro",
            str(OUR_MICRO_BATCH[size]),
        ]
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            print(done.stdout[-3000:], done.stderr[-6000:], file=sys.stderr)
            raise SystemExit(f"{name} on {size} failed (exit {done.returncode})")
        result = json.loads(line[len("RESULT ") :])
        seconds = result["setup_s"] + result["train_s"]
        flops = 12 * parameters * tokens
        results.append(
            {
                "size": size,
                "trainer": name,
                "device": card,
                "examples": len(rows),
                "tokens": tokens,
                "params": parameters,
                "examples_per_s": round(len(rows) / seconds, 2),
                "tokens_per_s": round(tokens / seconds),
                "seconds": round(seconds, 2),
                "setup_s": result["setup_s"],
                "train_s": result["train_s"],
                "peak_gib": result["peak_gib"],
                "mfu_pct": round(100 * flops / seconds / (peak_tflops(card) * 1e12), 1),
                "loss": round(result["loss"], 5),
            }
        )
        print(json.dumps(results[-1]), flush=True)
    return results


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--sizes", default="0.5b,1.5b")
    arguments.add_argument("--steps", type=int, default=20)
    arguments.add_argument("--batch", type=int, default=32, help="examples per optimizer step (the effective batch)")
    arguments.add_argument("--workdir", default="/tmp/kto-throughput")
    arguments.add_argument(
        "--device", choices=["cuda", "cpu"], default="cuda", help="cpu only checks the script (with --sizes tiny)"
    )
    arguments.add_argument("--child", choices=["ours", "trl"], help=argparse.SUPPRESS)
    arguments.add_argument("--model", help=argparse.SUPPRESS)
    arguments.add_argument("--dataset", help=argparse.SUPPRESS)
    arguments.add_argument("--out", help=argparse.SUPPRESS)
    arguments.add_argument("--micro", type=int, help=argparse.SUPPRESS)
    given = arguments.parse_args()
    if given.child:
        child(given)
        return
    work = Path(given.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows = [
        result
        for size in given.sizes.split(",")
        for result in measure(size, work, given.steps, given.batch, given.device)
    ]
    print(f"\n{rows[0]['device']}, {given.steps} steps of {given.batch} examples\n")
    print("| model | trainer | examples/s | tokens/s | peak GiB | MFU % | setup s | train s | mean loss |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['size']} | {row['trainer']} | {row['examples_per_s']} | {row['tokens_per_s']:,} | {row['peak_gib']} | {row['mfu_pct']} | {row['setup_s']} | {row['train_s']} | {row['loss']} |"
        )
    for size in dict.fromkeys(row["size"] for row in rows):
        base, ours = (
            next(row for row in rows if row["size"] == size and row["trainer"] == name)
            for name in ("trl-defaults", "ours")
        )
        print(f"{size}: ours {ours['examples_per_s'] / base['examples_per_s']:.2f}x the examples/s of TRL defaults")


if __name__ == "__main__":
    main()
