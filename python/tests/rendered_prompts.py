"""Prints how training renders and tokenizes a dataset's prompts, one JSON line per row: the chat template's
text (what `data.render` gives TRL) and the token ids the model's tokenizer makes of it (BOS included, as
TRL tokenizes). The daemon's tests compare these with what the embedded runtime renders and tokenizes.

python rendered_prompts.py --model DIR --dataset DIR [--rows N]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transformers import AutoTokenizer

from vault_tuner_train.data import load_dataset, render

arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
arguments.add_argument("--model", required=True)
arguments.add_argument("--dataset", required=True)
arguments.add_argument("--rows", type=int, default=4)
given = arguments.parse_args()
tokenizer = AutoTokenizer.from_pretrained(given.model)
dataset = load_dataset(given.dataset, "kto")
dataset.rows = dataset.rows[: given.rows]
for row, rendered in zip(dataset.rows, render(dataset, tokenizer, "kto"), strict=True):
    print(
        json.dumps(
            {
                "line": row["_line"],
                "prompt": rendered["prompt"],
                "completion": rendered["completion"],
                "prompt_ids": tokenizer(rendered["prompt"]).input_ids,
            }
        )
    )
