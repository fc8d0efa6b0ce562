"""A tiny chat model made on the spot (no hub): a sentencepiece tokenizer trained on the dataset's own
text, a ChatML-style template that renders tools and tool calls, and a random 2-layer Llama.

Also a script, for tests and benchmarks outside pytest:
python tiny_model.py --dataset DIR --out DIR [--hidden-size N] [--layers N] [--intermediate-size N]."""

from __future__ import annotations

import json
from pathlib import Path

SPECIALS = ["<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"]
# Gemma's turn markers, for a model like a GGUF base without a tool template: no chat template, BOS added.
GEMMA_SPECIALS = ["<start_of_turn>", "<end_of_turn>", "<tool_call>", "</tool_call>"]

# Tools are rendered by name only: a real template writes their full schemas, which on a 2-layer test
# model would only make every step slower.
CHAT_TEMPLATE = (
    "{% if tools %}<|im_start|>system\nTools: {% for t in tools %}{{ t['function']['name'] }} {% endfor %}<|im_end|>\n{% endif %}"
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['content'] %}{{ m['content'] }}{% endif %}"
    "{% if m.get('tool_calls') %}{% for c in m['tool_calls'] %}<tool_call>{\"name\": \"{{ c['function']['name'] }}\", \"arguments\": {{ c['function']['arguments'] | tojson }}}</tool_call>{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _train_tokenizer(folder: Path, corpus: list[str], gemma_turns: bool = False) -> None:
    """A sentencepiece BPE with byte fallback, the Llama/Mistral kind llama.cpp's converter reads without
    a known pre-tokenizer hash; the chat markers are user-defined pieces, so each is one token."""
    import io

    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        vocab_size=2000,
        model_type="bpe",
        byte_fallback=True,
        user_defined_symbols=GEMMA_SPECIALS if gemma_turns else SPECIALS,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=3,
        character_coverage=1.0,
        add_dummy_prefix=False,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        split_digits=True,
        allow_whitespace_only_pieces=True,
        max_sentence_length=1 << 20,
        num_threads=2,
        minloglevel=2,
    )
    (folder / "tokenizer.model").write_bytes(model.getvalue())
    config = {
        "tokenizer_class": "LlamaTokenizer",
        "add_bos_token": gemma_turns,
        "add_eos_token": False,
        "legacy": False,
        "add_prefix_space": False,
        "unk_token": "<unk>",
        "bos_token": "<s>",
        "eos_token": "<end_of_turn>" if gemma_turns else "<|im_end|>",
        "pad_token": "<pad>",
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config))


def make_tiny_model(
    folder: Path,
    corpus: list[str],
    hidden_size: int = 64,
    layers: int = 2,
    intermediate_size: int | None = None,
    always_call: bool = False,
    gemma_turns: bool = False,
) -> Path:
    """hidden_size 256 or more gives rows that K-quants (Q4_K_M) really quantize instead of falling back;
    larger sizes serve benchmarks (1024 wide, 28 layers, 4096 intermediate is about 0.4B parameters).
    always_call: see _always_call. gemma_turns: a random Gemma 3 with Gemma's turn tokens, a tokenizer that
    adds BOS, and no chat template at all (what `base-import` meets in the Gemma 3 GGUF)."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    _train_tokenizer(folder, corpus, gemma_turns)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    if not gemma_turns:
        tokenizer.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=intermediate_size or 2 * hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=max(4, hidden_size // 64),
        num_key_value_heads=max(2, hidden_size // 256),
        max_position_embeddings=1024,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id if gemma_turns else None,
        tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = _tiny_gemma3(tokenizer, hidden_size, layers) if gemma_turns else LlamaForCausalLM(config)
    if always_call:
        _always_call(model, tokenizer)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    if gemma_turns:
        # Control tokens, as in Gemma's vocabulary: llama.cpp's converter types the tokens that
        # tokenizer_config.json marks special as CONTROL (transformers 5 no longer writes that list).
        config_file = folder / "tokenizer_config.json"
        config = json.loads(config_file.read_text())
        config["added_tokens_decoder"] = {
            str(tokenizer.convert_tokens_to_ids(piece)): {
                "content": piece,
                "special": True,
                "normalized": False,
                "lstrip": False,
                "rstrip": False,
                "single_word": False,
            }
            for piece in GEMMA_SPECIALS
        }
        config_file.write_text(json.dumps(config, indent=2))
    return folder


def _tiny_gemma3(tokenizer, hidden_size: int, layers: int):
    """A random Gemma 3 of the given width: the architecture (and so the GGUF conversion path) of the real
    Gemma 3 270M base."""
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    config = Gemma3TextConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=2 * hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=1,
        head_dim=hidden_size // 4,
        max_position_embeddings=1024,
        sliding_window=64,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id,
    )
    return Gemma3ForCausalLM(config)


def _always_call(model, tokenizer) -> None:
    """Sets the weights so that the model always writes a tool call. The residual stream is made to carry
    mostly the current token's embedding, and a few "route" dimensions of it pick the next token, like a
    bigram table: any token leads to `<tool_call>`, which leads through `{"`, `name`, `":` and ` "` (the
    start of the template's call syntax), and quote tokens rank next everywhere so strings close at once.
    From there the runtime's grammar writes a call that fits the tool's schema. A random model never calls
    a tool; this one always does, so an evaluation on it exercises the whole call path."""
    import torch

    chain = ["<tool_call>", '{"', "name", '":', '▁"']
    ids = [tokenizer.convert_tokens_to_ids(piece) for piece in chain]
    with torch.no_grad():
        embed = model.model.embed_tokens.weight
        head = model.lm_head.weight
        embed[:, : len(chain)] = 0.0
        head[:, : len(chain)] = 0.0
        embed[:, 0] = 8.0  # every token routes to <tool_call> ...
        head[ids[0], 0] = 4.0
        for step, token in enumerate(ids[:-1], start=1):
            embed[token, 0] = 0.0  # ... except the chain's own tokens, which route to the next one
            embed[token, step] = 8.0
            head[ids[step], step] = 4.0
        for piece in ['"', '"}', '",']:
            head[tokenizer.convert_tokens_to_ids(piece), 0] = 2.0


def corpus_of(dataset_folder: Path) -> list[str]:
    lines = (dataset_folder / "train.jsonl").read_text().splitlines()
    return [json.dumps(json.loads(line), ensure_ascii=False) for line in lines[:400]]


if __name__ == "__main__":
    import argparse

    arguments = argparse.ArgumentParser(description="make a tiny random chat model from a dataset's text")
    arguments.add_argument("--dataset", required=True, type=Path)
    arguments.add_argument("--out", required=True, type=Path)
    arguments.add_argument("--hidden-size", type=int, default=64)
    arguments.add_argument("--layers", type=int, default=2)
    arguments.add_argument("--intermediate-size", type=int)
    arguments.add_argument(
        "--always-call", action="store_true", help="weights that always start a tool call (for evaluator tests)"
    )
    arguments.add_argument(
        "--gemma-turns",
        action="store_true",
        help="Gemma's turn tokens, BOS added, no chat template (a base for base-import)",
    )
    given = arguments.parse_args()
    print(
        make_tiny_model(
            given.out,
            corpus_of(given.dataset),
            given.hidden_size,
            given.layers,
            given.intermediate_size,
            given.always_call,
            given.gemma_turns,
        )
    )
