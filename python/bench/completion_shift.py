"""Where did training move a model's calls? Token by token, the log-probability two models give the same
desirable completions: a model before a stage and after it (say the merged SFT model and the merged KTO
model trained on top of it), on rows neither trained on.

    python python/bench/completion_shift.py --before DIR --after DIR --dataset KTO_DATASET [--split holdout] [--rows 8]

For each desirable row of `<dataset>/<split>.jsonl`, rendered exactly as the trainer renders it, it prints
the completion's total log-probability under each model, how many of its tokens each model would pick
greedily, and the tokens whose probability fell most, with the text just before them. A stage that lowers
the tokens every call shares (the tool name, the argument keys) has displaced the format it was meant to
keep, whatever its training loss says. Runs on a CPU (a 270M model: about a second a row).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from vault_tuner_train.data import load_dataset, render


def completion_logprobs(model, prompt_ids: list[int], completion_ids: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Each completion token's log-probability given everything before it, and whether greedy picks it."""
    ids = torch.tensor([prompt_ids + completion_ids])
    with torch.no_grad():
        logits = model(ids).logits[0, len(prompt_ids) - 1 : -1].float()
    target = torch.tensor(completion_ids)
    logprobs = torch.log_softmax(logits, -1).gather(1, target[:, None])[:, 0]
    return logprobs, logits.argmax(-1) == target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="a merged model folder (Hugging Face layout)")
    parser.add_argument("--after", required=True, help="the merged model trained on top of it")
    parser.add_argument("--dataset", required=True, help="a KTO dataset folder the builder wrote")
    parser.add_argument("--split", default="holdout", help="holdout (rows no stage trained on) or train")
    parser.add_argument("--rows", type=int, default=8)
    parser.add_argument("--worst", type=int, default=3, help="tokens listed per row")
    args = parser.parse_args()
    tokenizer = AutoTokenizer.from_pretrained(args.before)
    dataset = load_dataset(Path(args.dataset) / f"{args.split}.jsonl", "kto")
    rows = [row for row in render(dataset, tokenizer, "kto") if row["label"]][: args.rows]
    models = {
        name: AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
        for name, path in (("before", args.before), ("after", args.after))
    }
    totals = {"before": 0.0, "after": 0.0}
    for index, row in enumerate(rows, 1):
        prompt_ids = tokenizer(row["prompt"], add_special_tokens=False).input_ids
        completion_ids = tokenizer(row["completion"], add_special_tokens=False).input_ids
        scored = {name: completion_logprobs(model, prompt_ids, completion_ids) for name, model in models.items()}
        for name in totals:
            totals[name] += scored[name][0].sum().item()
        (before, before_greedy), (after, after_greedy) = scored["before"], scored["after"]
        print(
            f"row {index}: completion log-prob before {before.sum():.1f}, after {after.sum():.1f}; "
            f"greedy picks the right token at {int(before_greedy.sum())} -> {int(after_greedy.sum())} of {len(completion_ids)}"
        )
        for position in torch.argsort(after - before)[: args.worst].tolist():
            context = tokenizer.decode(completion_ids[max(0, position - 6) : position])
            print(
                f"    {tokenizer.decode([completion_ids[position]])!r} after ...{context!r}: "
                f"p {before[position].exp():.3f} -> {after[position].exp():.3f}"
            )
    count = max(1, len(rows))
    print(
        f"mean completion log-prob over {len(rows)} rows: before {totals['before'] / count:.1f}, after {totals['after'] / count:.1f}"
    )


if __name__ == "__main__":
    main()
