"""Greedy decoding with transformers, the reference a GGUF export must reproduce.

python greedy_reference.py MODEL_DIR MESSAGES_JSON [--max-new-tokens N]
prints {"prompt": rendered text, "prompt_tokens": [...], "greedy": [...], "top": [...]}: the new tokens
only, up to and including the first end-of-sequence token, and for each of them the five highest logits
as [token, logit] pairs (so a runtime that picks another token can be told from one that computes
differently: a near-tie may fall either way within float error)."""

from __future__ import annotations

import argparse
import json


def main() -> None:
    arguments = argparse.ArgumentParser()
    arguments.add_argument("model")
    arguments.add_argument("messages", help="a JSON list of chat messages")
    arguments.add_argument("--max-new-tokens", type=int, default=16)
    given = arguments.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(given.model)
    model = AutoModelForCausalLM.from_pretrained(given.model, dtype=torch.float32)
    prompt = tokenizer.apply_chat_template(json.loads(given.messages), tokenize=False, add_generation_prompt=True)
    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False).input_ids
    with torch.no_grad():
        out = model.generate(
            ids,
            max_new_tokens=given.max_new_tokens,
            do_sample=False,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            output_logits=True,
            return_dict_in_generate=True,
        )
    top = []
    for logits in out.logits:
        values, tokens = torch.topk(logits[0].float(), 5)
        top.append([[int(token), float(value)] for token, value in zip(tokens, values, strict=True)])
    greedy = out.sequences[0, ids.shape[1] :].tolist()
    print(json.dumps({"prompt": prompt, "prompt_tokens": ids[0].tolist(), "greedy": greedy, "top": top[: len(greedy)]}))


if __name__ == "__main__":
    main()
