"""python -m vault_tuner_train {kto|sft|merge|export|base-import|publish} ...: what the daemon runs to train, export
and publish.

Only the standard library is imported until a command needs more, so --help and argument errors
answer at once.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from .errors import TrainError, explain
from .progress import Progress, take_stdout


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m vault_tuner_train",
        description="Fine-tune a local model on a dataset the Vault Tuner daemon built. Progress is JSON lines on stdout.",
    )
    commands = top.add_subparsers(dest="command", required=True)
    for name, summary in (
        ("kto", "KTO on labelled (desirable / undesirable) rows"),
        ("sft", "supervised fine-tuning on desirable rows, loss on the completion only"),
    ):
        command = commands.add_parser(name, help=summary, description=summary)
        command.add_argument(
            "--config",
            required=True,
            help="recipe name under python/recipes (default, 3b, 7b, 13b, 20b, tiny) or a YAML path",
        )
        command.add_argument("--dataset", required=True, help="a folder the dataset builder wrote, or its train.jsonl")
        command.add_argument("--output", default="output", help="folder for checkpoints, the adapter and training.json")
        command.add_argument("--model", help="model name or local folder (overrides the recipe)")
        command.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
        command.add_argument("--device", choices=["auto", "cuda", "mps", "cpu"], default="auto")
        command.add_argument(
            "--backend",
            choices=["auto", "torch", "mlx"],
            default="auto",
            help="auto: MLX on Apple Silicon, TRL + PEFT (torch) elsewhere",
        )
        command.add_argument(
            "--dry-run", action="store_true", help="check recipe, dataset and chat template; train nothing"
        )
        command.add_argument("--resume", action="store_true", help="continue from the last checkpoint in --output")
        command.add_argument("--wandb", action="store_true", help="also report to Weights & Biases")
    merge = commands.add_parser("merge", help="merge a run's LoRA adapter into its base model (16-bit by default)")
    merge.add_argument("--run", required=True, help="the --output folder of a finished kto or sft run")
    merge.add_argument("--output", required=True, help="folder for the merged model")
    merge.add_argument("--base", help="the base model (default: the one the run trained)")
    merge.add_argument("--dtype", choices=["float16", "bfloat16", "float32"], default="float16")
    base = commands.add_parser(
        "base-import",
        help="turn a GGUF model file into a base the trainer can fine-tune (dequantized, with a tool-capable chat template)",
    )
    base.add_argument("--gguf", required=True, help="the .gguf file (an Ollama blob or a llama.cpp model)")
    base.add_argument("--output", required=True, help="folder for the Hugging Face model")
    base.add_argument("--name", help="the base's name (default: the folder's)")
    base.add_argument(
        "--template",
        help="tool template to give a base whose own template cannot render tools (default: by its turn tokens)",
    )
    base.add_argument(
        "--dtype",
        choices=["float32", "bfloat16", "float16"],
        default="float32",
        help="precision of the dequantized weights",
    )
    base.add_argument(
        "--tokenizer", help="take the tokenizer from this folder instead of converting the GGUF's vocabulary"
    )
    base.add_argument(
        "--llama-cpp", help="llama.cpp source tree: also write model.gguf, the original file with the tool template"
    )
    export = commands.add_parser(
        "export", help="merge a run, convert it to GGUF and quantize it (what Ollama and node-llama-cpp load)"
    )
    export.add_argument("--run", required=True, help="the --output folder of a finished kto or sft run")
    export.add_argument("--output", required=True, help="folder for merged/, the GGUF files and export.json")
    export.add_argument("--llama-cpp", required=True, help="llama.cpp source tree (convert_hf_to_gguf.py, gguf-py)")
    export.add_argument("--libllama", required=True, help="the prebuilt libllama shared library that quantizes")
    export.add_argument("--llama-cpp-release", required=True, help="the release both come from, e.g. v0.4.0")
    export.add_argument(
        "--quant",
        action="append",
        choices=["q4_k_m", "q5_k_m", "q8_0"],
        help="quantizations to write (repeatable; default q4_k_m and q8_0)",
    )
    export.add_argument(
        "--dtype",
        choices=["float16", "bfloat16", "float32"],
        default="float16",
        help="precision of the merged model and the unquantized GGUF",
    )
    export.add_argument("--no-adapter", action="store_true", help="skip the adapter-only GGUF")
    export.add_argument(
        "--base",
        help="the base model to merge into (default: the one the run trained; give it when the run was trained on another machine)",
    )
    publish = commands.add_parser(
        "publish",
        help="upload a folder to a Hugging Face Hub model repo in one commit (the repo is created if missing)",
    )
    publish.add_argument(
        "--folder", required=True, help="the folder to upload, every file in it (hidden ones left out)"
    )
    publish.add_argument("--repo", required=True, help="the model repo, OWNER/NAME")
    publish.add_argument(
        "--private", action="store_true", help="create the repo private (an existing repo keeps its own)"
    )
    publish.add_argument("--message", default="Publish from Vault Tuner", help="the commit message")
    publish.add_argument("--endpoint", help="the Hub's address (default: $HF_ENDPOINT, else https://huggingface.co)")
    return top


def backend(requested: str) -> str:
    """MLX on Apple Silicon unless told otherwise; TRL + PEFT on torch everywhere else."""
    import platform

    if requested != "auto":
        return requested
    return "mlx" if platform.system() == "Darwin" and platform.machine() == "arm64" else "torch"


def exit_with_parent() -> None:
    """Under the daemon (VAULT_TUNER_PARENT_PID set), stop when the daemon is gone: a trainer whose
    daemon was killed would otherwise train on unseen, holding the GPU, while the restarted daemon
    marks its job interrupted and may resume it in a second process."""
    import os
    import threading
    import time

    parent = os.environ.get("VAULT_TUNER_PARENT_PID")
    if not parent or not parent.isdigit():
        return
    # The daemon is the parent, or, with several data-parallel processes, torchrun's parent. A process
    # whose parent dies is handed to another, so a changed parent means the daemon is gone too; the
    # daemon's own pid is looked up as well, for the torchrun case.
    first_parent, daemon = os.getppid(), int(parent)

    def daemon_alive() -> bool:
        if os.getppid() != first_parent:
            return False
        try:
            os.kill(daemon, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, under another user
        return True

    def watch() -> None:
        while daemon_alive():
            time.sleep(1.0)
        print("the daemon that started this trainer is gone; stopping", file=sys.stderr, flush=True)
        os._exit(143)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    import signal

    args = parser().parse_args(argv)
    exit_with_parent()
    # SIGTERM (the daemon cancelling a job) ends the run the way Ctrl-C does: with an error event.
    signal.signal(signal.SIGTERM, _interrupt)
    progress = Progress(take_stdout())
    try:
        if args.command == "merge":
            from .export import merge

            summary = merge(args.run, args.output, args.base, args.dtype)
            progress.emit("done", output=summary["output"], chat_template_sha256=summary["chat_template_sha256"])
            return 0
        if args.command == "publish":
            from .hub_publish import publish_folder

            summary = publish_folder(args.folder, args.repo, args.private, args.message, progress, args.endpoint)
            progress.emit("done", output=summary["url"], commit=summary["commit"], published=summary["published"])
            return 0
        if args.command == "base-import":
            from .base_import import import_gguf

            summary = import_gguf(
                args.gguf, args.output, args.name, args.template, args.dtype, progress, args.tokenizer, args.llama_cpp
            )
            progress.emit("done", output=summary["output"], chat_template_sha256=summary["chat_template"]["sha256"])
            return 0
        if args.command == "export":
            from .export import export_gguf

            summary = export_gguf(
                args.run,
                args.output,
                args.llama_cpp,
                args.libllama,
                args.llama_cpp_release,
                args.quant or ["q4_k_m", "q8_0"],
                args.dtype,
                not args.no_adapter,
                progress,
                args.base,
            )
            progress.emit(
                "done",
                output=summary["output"],
                chat_template_sha256=summary["chat_template_sha256"],
                files=summary["files"],
            )
            return 0
        from .recipes import load_recipe

        recipe = load_recipe(args.config, {"model": args.model})
        if args.dry_run:
            from .run_inputs import prepare_run
            from .tokenizer_files import template_hash

            run = prepare_run(args.command, recipe, args.dataset)
            tokenizer, rows = run.tokenizer, run.rows
            lengths = run.token_lengths()
            too_long = sum(length > recipe.max_length for length in lengths)
            progress.emit(
                "done",
                dry_run=True,
                examples=len(rows),
                longest_tokens=max(lengths),
                over_max_length=too_long,
                chat_template_sha256=template_hash(tokenizer),
            )
            return 0
        if backend(args.backend) == "mlx":
            from .mlx_train import train_mlx

            summary = train_mlx(args.command, recipe, args.dataset, args.output, args.max_steps, args.resume, progress)
        else:
            from .train import train

            summary = train(
                args.command,
                recipe,
                args.dataset,
                args.output,
                args.device,
                args.max_steps,
                args.resume,
                args.wandb,
                progress,
            )
        progress.emit(
            "done",
            **{key: summary[key] for key in ("steps", "train_loss", "runtime_s", "adapter", "chat_template_sha256")},
        )
        return 0
    except BaseException as error:  # noqa: BLE001 - every failure leaves as an error event
        if isinstance(error, KeyboardInterrupt):
            progress.emit(
                "error",
                code="interrupted",
                message="interrupted",
                hint="run again with --resume to continue from the last checkpoint",
            )
            return 130
        explained = explain(error)
        if not isinstance(error, TrainError):
            traceback.print_exc()
        progress.emit("error", code=explained.code, message=str(explained), hint=explained.hint or None)
        return 1
