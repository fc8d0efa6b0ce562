"""The training half of the quality benchmark (`npm run bench:quality`), for a machine with or without a GPU.

From a GGUF base: import it, SFT on the SFT dataset, merge, then KTO on top of the merged SFT model, once
on the whole KTO dataset and once on each label-efficiency subset (the first N rows of the interleaved
file: N labelled calls, half of each label). Each run is the trainer's own command line, as the daemon runs
it. Writes `<out>/runs/<stage>/` (adapter and training.json) and `<out>/training-summary.json`.

    python python/bench/quality_train.py --gguf gemma.gguf --sft DATA --kto DATA [--kto-subset N=DATA]... --out DIR
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def run(command: list[str], log: Path) -> dict:
    """Runs one trainer command, its JSON progress lines kept in `log`; returns the `done` event."""
    started = time.monotonic()
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "vault_tuner_train", *command], stdout=subprocess.PIPE, stderr=sink, text=True
        )
        done = None
        assert process.stdout is not None
        for line in process.stdout:
            sink.write(line)
            event = json.loads(line) if line.startswith("{") else {}
            if event.get("event") in ("step", "stage"):
                print(
                    f"  {command[0]} {event.get('step', event.get('stage'))}/{event.get('total')} loss {event.get('loss', '')}",
                    file=sys.stderr,
                    flush=True,
                )
            if event.get("event") in ("done", "error"):
                done = event
        process.wait()
    if process.returncode != 0 or not done or done.get("event") != "done":
        raise SystemExit(f"{' '.join(command[:1])} failed: {done}; see {log}")
    return {**done, "wall_s": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--sft", required=True, help="an SFT dataset folder")
    parser.add_argument("--kto", required=True, help="a KTO dataset folder")
    parser.add_argument("--kto-subset", action="append", default=[], help="N=FOLDER: a label-efficiency point")
    parser.add_argument("--tokenizer", help="passed to base-import: a folder holding the model's tokenizer")
    parser.add_argument("--recipe", default="small")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    summary: dict = {"gguf": args.gguf, "recipe": args.recipe, "stages": {}}
    base = out / "base"
    if not (base / "vault-tuner-base.json").is_file():
        summary["stages"]["import"] = run(
            [
                "base-import",
                "--gguf",
                args.gguf,
                "--output",
                str(base),
                *(["--tokenizer", args.tokenizer] if args.tokenizer else []),
            ],
            out / "import.log",
        )
    train = ["--config", args.recipe, "--device", args.device]
    print("SFT", file=sys.stderr)
    summary["stages"]["sft"] = run(
        ["sft", *train, "--dataset", args.sft, "--model", str(base), "--output", str(out / "runs" / "sft")],
        out / "sft.log",
    )
    sft_merged = out / "sft-merged"
    summary["stages"]["sft-merge"] = run(
        ["merge", "--run", str(out / "runs" / "sft"), "--output", str(sft_merged), "--dtype", "float32"],
        out / "sft-merge.log",
    )
    for name, data in [
        ("kto", args.kto),
        *[(f"kto-{pair.split('=', 1)[0]}", pair.split("=", 1)[1]) for pair in args.kto_subset],
    ]:
        print(name, file=sys.stderr)
        summary["stages"][name] = run(
            ["kto", *train, "--dataset", data, "--model", str(sft_merged), "--output", str(out / "runs" / name)],
            out / f"{name}.log",
        )
    (out / "training-summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(
        json.dumps(
            {
                name: {key: stage.get(key) for key in ("steps", "train_loss", "runtime_s", "wall_s")}
                for name, stage in summary["stages"].items()
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
